import uuid
from datetime import UTC, date, datetime

import pytest

from contracts.roles import Role
from engagement.domain import Case, Scope, can_view, occurred_at


@pytest.mark.parametrize(
    "role,scope,allowed",
    [
        ("link_worker", "own_worker", True),
        ("link_worker", "other_worker", False),
        ("provider_manager", "own_provider", True),
        ("provider_manager", "other_provider", False),
        ("service", "none", True),
        ("finance", "own_provider", False),
        ("operator", "own_provider", False),
        ("referrer", "practice", False),
        ("auditor", "own_provider", False),
    ],
)
def test_who_may_view_a_case(engaged_case, ids, role, scope, allowed):
    case, _ = engaged_case()
    scopes = {
        "own_worker": Scope(link_worker_id=ids["link_worker"], provider_id=ids["provider"]),
        "other_worker": Scope(link_worker_id=uuid.uuid4(), provider_id=ids["provider"]),
        "own_provider": Scope(provider_id=ids["provider"]),
        "other_provider": Scope(provider_id=uuid.uuid4()),
        "none": Scope(),
        "practice": Scope(practice="A86001"),
    }
    assert can_view(role, scopes[scope], case) is allowed


def test_nobody_views_a_case_that_does_not_exist():
    assert not can_view(Role.SERVICE, Scope(), Case())


def test_a_contact_keeps_its_instant_and_a_star_happens_at_midnight_utc_of_its_date(engaged_case):
    _case, history = engaged_case(taken_on=date(2024, 1, 17))
    contact, star = history[1], history[3]
    assert occurred_at(contact) == contact.occurred_at
    assert occurred_at(star) == datetime(2024, 1, 17, tzinfo=UTC)
    assert all(occurred_at(event).tzinfo is not None for event in history)


def test_every_engagement_event_type_has_an_occurred_at():
    from contracts.casework import CASEWORK_EVENTS
    from contracts.engagement import ENGAGEMENT_EVENTS, ContactAttemptFailed, ContactRecorded
    from engagement.domain.occurred import DATE_FIELD

    assert set(DATE_FIELD) | {ContactRecorded, ContactAttemptFailed} == set(ENGAGEMENT_EVENTS + CASEWORK_EVENTS)
