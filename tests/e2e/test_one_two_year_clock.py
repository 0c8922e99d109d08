"""One two-year clock (docs/domain.md §3.4, §4.8): the engagement case and reporting's outcome W count
the limit the same way. The events engagement's own commands make are folded by reporting as facts,
and for every day around the limit and an extension's review date, "engagement covers this day"
agrees with "reporting pays a qualifying review taken that day". No I/O: both domains are pure."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts import time_limit
from engagement.domain import Case, covered_until, is_covered, is_past_limit, limit_date
from reporting.domain import episode_view, load_packaged_rulebooks, w_outcomes
from reporting.domain.facts import Fact

OPENED_ON = date(2024, 1, 8)
LIMIT_ON = date(2026, 1, 8)
REVIEW_ON = date(2026, 7, 1)  # an extension's review date
FAR = date(2031, 1, 1)
BASELINE = dict(
    lifestyle=4,
    looking_after_yourself=4,
    managing_symptoms=4,
    work_volunteering=4,
    money=4,
    where_you_live=4,
    family_and_friends=4,
    feeling_positive=4,
)  # total 32
BETTER = BASELINE | {"lifestyle": 8}  # total 36: qualifies on gain


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _case(
    *, opened_on: date = OPENED_ON, baseline_on: date | None = None, extension: tuple[date, date] | None = None
) -> tuple[Case, list]:
    events = Case.open(
        case_id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        provider_id=uuid.uuid4(),
        link_worker_id=uuid.uuid4(),
        practice_ods_code="A85001",
        allocated_on=opened_on,
    )
    case = Case.from_events(events)
    baseline_on = baseline_on or opened_on + timedelta(days=9)
    for made in (
        lambda c: c.record_contact(
            uuid.uuid4(),
            occurred_at=_at(baseline_on),
            mode="face_to_face",
            duration_minutes=45,
            attended=True,
            now=_at(FAR),
            venue="gp_practice",
        ),
        lambda c: c.record_star(uuid.uuid4(), taken_on=baseline_on, scores=BASELINE, today=FAR),
        *(
            [lambda c: c.extend(reason="still settling", review_on=extension[1], today=FAR, on=extension[0])]
            if extension
            else []
        ),
    ):
        new = made(case)
        case, events = case.apply_all(new), [*events, *new]
    return case, events


def _review_on(case: Case, events: list, day: date) -> tuple[Case, list]:
    new = case.record_star(uuid.uuid4(), taken_on=day, scores=BETTER, today=FAR)
    return case.apply_all(new), [*events, *new]


def _reporting_pays(events: list, rulebooks) -> list[date]:
    """The achieved dates of the W outcomes reporting derives from engagement's events."""
    facts = []
    for n, event in enumerate(events):
        recorded = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
        facts.append(
            Fact(
                uuid.uuid4(),
                event.event_type,
                event.schema_version,
                str(event.case_id),
                recorded,
                recorded,
                event.model_dump(mode="json"),
            )
        )
    episode = episode_view(facts, datetime(2031, 1, 1, tzinfo=UTC))
    return [o.achieved_on for o in w_outcomes(episode, rulebooks, FAR)]


@pytest.fixture(scope="module")
def rulebooks():
    return load_packaged_rulebooks()


@pytest.mark.parametrize(
    ("extension", "day", "covered"),
    [
        (None, LIMIT_ON - timedelta(days=1), True),
        (None, LIMIT_ON, False),  # the anniversary itself is past the limit
        ((LIMIT_ON - timedelta(days=3), REVIEW_ON), LIMIT_ON, True),
        ((LIMIT_ON - timedelta(days=3), REVIEW_ON), REVIEW_ON - timedelta(days=1), True),
        ((LIMIT_ON - timedelta(days=3), REVIEW_ON), REVIEW_ON, True),  # the review date is covered
        ((LIMIT_ON - timedelta(days=3), REVIEW_ON), REVIEW_ON + timedelta(days=1), False),
        ((date(2025, 6, 2), date(2025, 12, 1)), LIMIT_ON, False),  # an extension that lapsed before the limit
    ],
)
def test_engagement_covers_a_day_exactly_when_reporting_pays_a_review_taken_on_it(rulebooks, extension, day, covered):
    case, events = _review_on(*_case(extension=extension), day)
    assert is_covered(case, day) is covered
    assert (day <= covered_until(case)) is covered
    assert (_reporting_pays(events, rulebooks) == [day]) is covered


def test_the_clock_starts_at_the_opening_not_the_baseline(rulebooks):
    """A baseline taken months after the opening does not move the limit: a review after the opening's
    second anniversary (though before the baseline's) is past the limit in both services."""
    day = LIMIT_ON + timedelta(days=30)
    case, events = _review_on(*_case(baseline_on=OPENED_ON + timedelta(days=120)), day)
    assert limit_date(case) == LIMIT_ON
    assert not is_covered(case, day)
    assert _reporting_pays(events, rulebooks) == []


def test_on_a_review_date_the_day_is_covered_and_a_decision_is_due(rulebooks):
    case, _ = _case(extension=(LIMIT_ON - timedelta(days=3), REVIEW_ON))
    assert not is_past_limit(case, REVIEW_ON - timedelta(days=1))
    assert is_past_limit(case, REVIEW_ON) and is_covered(case, REVIEW_ON)
    assert is_past_limit(case, REVIEW_ON + timedelta(days=1)) and not is_covered(case, REVIEW_ON + timedelta(days=1))


def test_a_case_opened_on_29_february_reaches_its_limit_on_28_february_in_both(rulebooks):
    opened_on = date(2024, 2, 29)
    for day, covered in ((date(2026, 2, 27), True), (date(2026, 2, 28), False)):
        case, events = _review_on(*_case(opened_on=opened_on), day)
        assert limit_date(case) == date(2026, 2, 28)
        assert is_covered(case, day) is covered
        assert (_reporting_pays(events, rulebooks) == [day]) is covered


def test_the_limit_length_is_data_and_every_payment_rulebook_agrees_with_it(rulebooks):
    """The length lives in contracts/time_limit.json; reporting's rulebooks carry it too
    (`episode_limit_years`), and must say the same for every day they are in force."""
    assert [length.years for length in time_limit.limit_lengths()] == [2]
    for rulebook in rulebooks:
        assert rulebook.episode_limit_years == time_limit.limit_years(rulebook.effective_from), rulebook.label
        for length in time_limit.limit_lengths():
            if length.effective_from > rulebook.effective_from:
                later = [b for b in rulebooks if b.effective_from > rulebook.effective_from]
                ends = min((b.effective_from for b in later), default=date.max)
                assert length.effective_from >= ends or length.years == rulebook.episode_limit_years
