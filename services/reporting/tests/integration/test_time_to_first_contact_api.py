"""GET /metrics/time-to-first-contact on a real database (issue 18 item 5): figures from the referral
and case events the consumer applied, equal to a hand calculation; scoped by role (a provider manager
sees only their organisation); bad parameters 422. The pure calculation is tested in
unit/test_time_to_first_contact.py."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

from reporting_builders import PROVIDER_A, PROVIDER_B, WORKER_1, WORKER_2, CaseFacts
from reporting_testkit import case_envelopes, consume, referral_envelopes

from contracts.engagement import ContactAttemptFailed, ContactRecorded

WORKER_3 = uuid.UUID("00000000-0000-7000-8000-0000000000b3")
MONDAY = date(2025, 3, 3)


def _contact(case: CaseFacts, when: datetime, attended: bool = True) -> None:
    case._add(
        ContactRecorded,
        when.date(),
        contact_id=uuid.uuid4(),
        occurred_at=when,
        mode="telephone",
        duration_minutes=10 if attended else 0,
        attended=attended,
    )


def _attempt(case: CaseFacts, when: datetime) -> None:
    case._add(ContactAttemptFailed, when.date(), attempt_id=uuid.uuid4(), occurred_at=when)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _allocated(allocated_on: date, provider=PROVIDER_A, worker=WORKER_1) -> CaseFacts:
    case = CaseFacts(provider_id=provider, link_worker_id=worker)
    case.opened(allocated_on)
    return case


def _world(settings) -> None:
    """Provider A, worker 1: waits 0, 1 (an attempt at 23:30 UTC in summer: the next London day), 2
    (a did-not-attend), 4 (a later contact recorded first). Worker 2: 3 (an attempt), 10, and one
    still waiting. A withdrawn referral (contacted after 1 day) is left out. Provider B, worker 3: 5."""
    cases = []
    same_day = _allocated(MONDAY)
    _contact(same_day, _noon(MONDAY))
    summer = _allocated(date(2025, 6, 2))
    _attempt(summer, datetime(2025, 6, 2, 23, 30, tzinfo=UTC))
    dna = _allocated(MONDAY)
    _contact(dna, _noon(MONDAY + timedelta(days=2)), attended=False)
    late_first = _allocated(MONDAY)
    _contact(late_first, _noon(MONDAY + timedelta(days=6)))
    _contact(late_first, _noon(MONDAY + timedelta(days=4)))
    cases += [same_day, summer, dna, late_first]
    attempt = _allocated(MONDAY, worker=WORKER_2)
    _attempt(attempt, _noon(MONDAY + timedelta(days=3)))
    slow = _allocated(MONDAY, worker=WORKER_2)
    _contact(slow, _noon(MONDAY + timedelta(days=10)))
    waiting = _allocated(MONDAY, worker=WORKER_2)
    withdrawn = _allocated(MONDAY, worker=WORKER_2)
    _contact(withdrawn, _noon(MONDAY + timedelta(days=1)))
    withdrawn.withdrawn(MONDAY + timedelta(days=2))
    other = _allocated(MONDAY, provider=PROVIDER_B, worker=WORKER_3)
    _contact(other, _noon(MONDAY + timedelta(days=5)))
    cases += [attempt, slow, waiting, withdrawn, other]
    envelopes = []
    for case in cases:
        allocated_on = case.facts[0].occurred_at.date()  # the CaseOpened: referral_envelopes allocate that day
        envelopes += referral_envelopes(case, allocated_on) + case_envelopes(case)
    consume(settings, envelopes)


def _row(provider, worker, contacted, awaiting, median, p90) -> dict:
    return {
        "provider_id": str(provider),
        "link_worker_id": None if worker is None else str(worker),
        "contacted": contacted,
        "awaiting": awaiting,
        "median_days": median,
        "p90_days": p90,
    }


# By hand. Provider A: waits 0, 1, 2, 4 | 3, 10 -> sorted 0 1 2 3 4 10: median (2 + 3) / 2 = 2.5, 90th
# percentile the ceil(0.9 * 6) = 6th = 10; one awaiting. Worker 1: 0 1 2 4 -> 1.5, 4th = 4. Worker 2:
# 3 10 -> 6.5, ceil(1.8) = 2nd = 10, one awaiting. Provider B (worker 3): 5 -> 5.0, 5.
PROVIDER_A_ROWS = [
    _row(PROVIDER_A, None, 6, 1, 2.5, 10),
    _row(PROVIDER_A, WORKER_1, 4, 0, 1.5, 4),
    _row(PROVIDER_A, WORKER_2, 2, 1, 6.5, 10),
]
PROVIDER_B_ROWS = [_row(PROVIDER_B, None, 1, 0, 5.0, 5), _row(PROVIDER_B, WORKER_3, 1, 0, 5.0, 5)]


def test_figures_equal_a_hand_calculation_for_finance_and_operators(settings, client, token):
    _world(settings)
    for role in ("finance", "operator"):
        answer = client.get("/metrics/time-to-first-contact", headers=token(role))
        assert answer.status_code == 200, answer.text
        assert answer.json()["items"] == PROVIDER_A_ROWS + PROVIDER_B_ROWS
    narrowed = client.get("/metrics/time-to-first-contact", params={"provider_id": str(PROVIDER_B)}, headers=token())
    assert narrowed.json()["items"] == PROVIDER_B_ROWS
    as_csv = client.get("/metrics/time-to-first-contact", params={"format": "csv"}, headers=token())
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [(r["link_worker_id"], r["median_days"], r["p90_days"]) for r in rows[:3]] == [
        ("", "2.5", "10"),
        (str(WORKER_1), "1.5", "4"),
        (str(WORKER_2), "6.5", "10"),
    ]


def test_a_provider_manager_sees_only_their_organisation(settings, client, token):
    _world(settings)
    manager_a = token("provider_manager", provider_id=str(PROVIDER_A))
    assert client.get("/metrics/time-to-first-contact", headers=manager_a).json()["items"] == PROVIDER_A_ROWS
    own = client.get("/metrics/time-to-first-contact", params={"provider_id": str(PROVIDER_A)}, headers=manager_a)
    assert own.json()["items"] == PROVIDER_A_ROWS
    other = client.get("/metrics/time-to-first-contact", params={"provider_id": str(PROVIDER_B)}, headers=manager_a)
    assert other.status_code == 403 and other.headers["content-type"].startswith("application/problem+json")
    manager_b = token("provider_manager", provider_id=str(PROVIDER_B))
    assert client.get("/metrics/time-to-first-contact", headers=manager_b).json()["items"] == PROVIDER_B_ROWS


def test_roles_without_metrics_are_refused_and_bad_parameters_are_422(settings, client, token):
    _world(settings)
    for role in ("referrer", "link_worker", "service"):
        assert client.get("/metrics/time-to-first-contact", headers=token(role)).status_code == 403, role
    assert client.get("/metrics/time-to-first-contact").status_code == 401
    for params, field in [({"provider_id": "not-a-uuid"}, "provider_id"), ({"format": "pdf"}, "format")]:
        answer = client.get("/metrics/time-to-first-contact", params=params, headers=token())
        assert answer.status_code == 422, answer.text
        assert [e["loc"] for e in answer.json()["errors"]] == [["query", field]]


def test_an_empty_programme_has_no_rows(client, token):
    assert client.get("/metrics/time-to-first-contact", headers=token()).json() == {"items": []}
