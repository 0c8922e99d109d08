"""Builders for cases at each stage, reached through their own commands."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from engagement.domain import Case, ServiceStatus

OPENED_ON = date(2024, 1, 8)
TODAY = date(2024, 9, 2)
NOW = datetime(2024, 9, 2, 12, 0, tzinfo=UTC)
PROVIDER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
OTHER_PROVIDER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000a2")
LINK_WORKER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000b1")
ACTIVE_SERVICE = uuid.UUID("00000000-0000-7000-8000-0000000000c1")
SCORES = dict(
    lifestyle=4,
    looking_after_yourself=5,
    managing_symptoms=3,
    work_volunteering=2,
    money=6,
    where_you_live=7,
    family_and_friends=5,
    feeling_positive=4,
)  # total 36


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def opened(**overrides) -> tuple[Case, list]:
    fields = dict(
        case_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        provider_id=PROVIDER_ID,
        link_worker_id=LINK_WORKER_ID,
        practice_ods_code="A86001",
        allocated_on=OPENED_ON,
    )
    events = Case.open(**{**fields, **overrides})
    return Case.from_events(events), events


def step(case: Case, history: list, events: list) -> tuple[Case, list]:
    return case.apply_all(events), [*history, *events]


def contacted(on: date = OPENED_ON + timedelta(days=2)) -> tuple[Case, list]:
    case, history = opened()
    return step(
        case,
        history,
        case.record_contact(
            uuid.uuid4(),
            occurred_at=at(on),
            mode="face_to_face",
            duration_minutes=45,
            attended=True,
            now=NOW,
            venue="gp_practice",
        ),
    )


def engaged(taken_on: date = OPENED_ON + timedelta(days=9)) -> tuple[Case, list]:
    case, history = contacted()
    return step(case, history, case.record_star(uuid.uuid4(), taken_on=taken_on, scores=SCORES, today=TODAY))


@pytest.fixture
def open_case() -> Callable[..., tuple[Case, list]]:
    """`open_case(**overrides)` -> (case, events): allocated, nothing else recorded."""
    return opened


@pytest.fixture
def contacted_case() -> Callable[..., tuple[Case, list]]:
    """`contacted_case(on=...)` -> a case with one attended contact."""
    return contacted


@pytest.fixture
def engaged_case() -> Callable[..., tuple[Case, list]]:
    """`engaged_case(taken_on=...)` -> a contacted case with a baseline Star."""
    return engaged


@pytest.fixture
def then() -> Callable[[Case, list, list], tuple[Case, list]]:
    """`then(case, history, new_events)` -> (case after them, longer history)."""
    return step


@pytest.fixture
def when() -> Callable[..., datetime]:
    """`when(day, hour=10)`: an aware UTC instant on that day."""
    return at


@pytest.fixture
def scores() -> dict[str, int]:
    return dict(SCORES)


@pytest.fixture
def known_services() -> dict[uuid.UUID, ServiceStatus]:
    return {ACTIVE_SERVICE: ServiceStatus.ACTIVE}


@pytest.fixture
def ids() -> dict[str, uuid.UUID]:
    return {
        "provider": PROVIDER_ID,
        "other_provider": OTHER_PROVIDER_ID,
        "link_worker": LINK_WORKER_ID,
        "service": ACTIVE_SERVICE,
    }


@pytest.fixture
def days() -> dict[str, object]:
    return {"opened_on": OPENED_ON, "today": TODAY, "now": NOW}
