"""The referral follows its case: engagement events (through the consumer's handler, on the real
database), declines over HTTP, stale milestones ignored, the discharge summary."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from referral_testkit import CHANGING_LIVES, VALID_NHS, count, referral_body, with_allocation

from contracts.codec import encode
from contracts.engagement import (
    CaseContacted,
    CaseDischarged,
    CaseEngaged,
    CaseReassigned,
    GoalAgreed,
    UnableToContact,
)
from linkwell_runtime.consumer import PoisonEvent
from linkwell_runtime.testing import cursor
from referral.service_layer.case_events import apply_case_event

TODAY = datetime.now(ZoneInfo("Europe/London")).date()  # referrals are allocated today: milestones follow


def day(n: int) -> date:
    return TODAY + timedelta(days=n)


def refer(client, token, nhs: str = VALID_NHS[0]) -> dict:
    created = client.post("/referrals", json=referral_body(nhs_number=nhs, referred_on=None), headers=token()).json()
    return with_allocation(client, token, created)


def case_event(created: dict, cls, **fields):
    payload = cls(
        case_id=uuid.UUID(created["referral_id"]),
        patient_id=uuid.UUID(created["patient_id"]),
        provider_id=uuid.UUID(created["provider_id"]),
        link_worker_id=uuid.UUID(created["link_worker_id"]),
        **fields,
    )
    now = datetime.now(UTC)
    return encode(
        payload,
        aggregate_id=created["referral_id"],
        aggregate_version=1,
        occurred_at=now,
        recorded_at=now,
        producer="engagement",
    ), payload


def deliver(client, settings, envelope_and_payload) -> None:
    """Hand a case event to the consumer's handler, in a unit of work caused by it (as the consumer does)."""
    envelope, payload = envelope_and_payload
    services = client.app.state.services
    with services.pool.transaction() as cur:
        apply_case_event(services.unit_of_work(cur, cause=envelope), envelope, payload)


def status_of(client, token, created) -> str:
    return client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()["status"]


def contacted(created, on=TODAY):
    return case_event(created, CaseContacted, contact_id=uuid.uuid4(), contacted_on=on)


def test_case_milestones_move_the_referral_to_discharged_with_a_summary(client, token, settings):
    created = refer(client, token)
    deliver(client, settings, contacted(created))
    assert status_of(client, token, created) == "contacted"
    deliver(client, settings, case_event(created, CaseEngaged, baseline_star_id=uuid.uuid4(), engaged_on=day(1)))
    assert status_of(client, token, created) == "engaged"
    assert client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token()).status_code == 404
    deliver(
        client,
        settings,
        case_event(
            created, CaseDischarged, reason="self_managing", discharged_on=day(2), contacts_count=7, stars_count=2
        ),
    )
    summary = client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token())
    assert summary.status_code == 200
    expected = {
        "status": "discharged",
        "discharge_reason": "self_managing",
        "first_contact_on": str(TODAY),
        "engaged_on": str(day(1)),
        "discharged_on": str(day(2)),
        "contacts_count": 7,
    }
    assert {k: summary.json()[k] for k in expected} == expected
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute(
            "SELECT event_type FROM events WHERE aggregate_id = %s ORDER BY aggregate_version",
            (created["referral_id"],),
        )
        assert [r[0] for r in cur.fetchall()][-2:] == ["ReferralStatusChanged", "ReferralClosed"]


def test_stale_and_duplicate_milestones_are_recorded_and_ignored_not_poison(client, token, settings):
    created = refer(client, token)
    first = contacted(created)
    deliver(client, settings, first)
    deliver(client, settings, first)  # redelivered: the domain sees the same event id, nothing happens
    deliver(client, settings, contacted(created))  # a second "first contact": stale
    declined = client.post(
        f"/referrals/{created['referral_id']}/decline", json={"reason": "not_the_right_time"}, headers=token()
    )
    assert declined.status_code == 200, declined.text
    deliver(
        client, settings, case_event(created, CaseEngaged, baseline_star_id=uuid.uuid4(), engaged_on=day(1))
    )  # late: after the decline
    assert status_of(client, token, created) == "declined"
    assert count(client, "ignored_case_events") == 2
    assert count(client, f"events WHERE aggregate_id = '{created['referral_id']}'") == 6


def test_events_that_do_not_move_a_referral_are_ignored(client, token, settings):
    created = refer(client, token)
    deliver(
        client, settings, case_event(created, GoalAgreed, goal_id=uuid.uuid4(), star_areas=("money",), agreed_on=TODAY)
    )
    assert status_of(client, token, created) == "allocated"
    assert count(client, "ignored_case_events") == 0


def test_milestone_for_an_unknown_referral_is_poison(client, token, settings):
    created = refer(client, token) | {"referral_id": str(uuid.uuid4())}
    with pytest.raises(PoisonEvent):
        deliver(client, settings, contacted(created))


def test_unable_to_contact_closes_the_episode_and_frees_the_place(client, token, settings):
    created = refer(client, token)
    deliver(
        client,
        settings,
        case_event(
            created, UnableToContact, on=day(28), attempts_count=3, first_attempt_on=TODAY, last_attempt_on=day(28)
        ),
    )
    assert status_of(client, token, created) == "unable_to_contact"
    summary = client.get(f"/referrals/{created['referral_id']}/discharge-summary", headers=token()).json()
    assert summary["contacts_count"] == 0
    worker = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=token("operator")).json()
    assert sum(w["active_caseload"] for w in worker) == 0


def test_declining_twice_or_an_ineligible_referral_is_409(client, token):
    created = refer(client, token)
    path = f"/referrals/{created['referral_id']}/decline"
    assert (
        client.post(path, json={"reason": "not_interested", "note": "Busy caring"}, headers=token()).status_code == 200
    )
    assert client.post(path, json={"reason": "not_interested"}, headers=token()).status_code == 409
    ineligible = client.post(
        "/referrals", json=referral_body(nhs_number=VALID_NHS[1], conditions=[]), headers=token()
    ).json()
    assert (
        client.post(
            f"/referrals/{ineligible['referral_id']}/decline", json={"reason": "other"}, headers=token()
        ).status_code
        == 409
    )


def test_decline_input_errors_are_4xx(client, token):
    created = refer(client, token)
    path = f"/referrals/{created['referral_id']}/decline"
    assert client.post(path, json={"reason": "bored"}, headers=token()).status_code == 422
    assert client.post(path, json={"reason": "other", "declined_on": "2999-01-01"}, headers=token()).status_code == 422
    assert client.post(path, json={"reason": "other", "declined_on": "2016-01-01"}, headers=token()).status_code == 409
    assert client.post(path, json={"reason": "other"}, headers=token("finance")).status_code == 403
    assert (
        client.post(f"/referrals/{uuid.uuid4()}/decline", json={"reason": "other"}, headers=token()).status_code == 404
    )


def caseloads(client, token) -> dict[str, int]:
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=token("operator")).json()
    return {w["link_worker_id"]: w["active_caseload"] for w in workers if w["active_caseload"]}


def test_a_reassigned_case_moves_its_place_to_the_new_link_worker_once(client, token, settings):
    created = refer(client, token)
    workers = client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=token("operator")).json()
    colleague = next(w["link_worker_id"] for w in workers if w["link_worker_id"] != created["link_worker_id"])
    assert caseloads(client, token) == {created["link_worker_id"]: 1}
    moved = case_event(
        created, CaseReassigned, from_link_worker_id=uuid.UUID(created["link_worker_id"]), reassigned_on=TODAY
    )
    moved = (moved[0], moved[1].model_copy(update={"link_worker_id": uuid.UUID(colleague)}))
    deliver(client, settings, moved)
    deliver(client, settings, moved)  # redelivered: nothing more
    assert caseloads(client, token) == {colleague: 1}
    shown = client.get(f"/referrals/{created['referral_id']}", headers=token("operator")).json()
    assert shown["link_worker_id"] == colleague and shown["status"] == "allocated"
    assert count(client, "events WHERE event_type = 'ReferralReassigned'") == 1
    listed = client.get("/referrals", params={"link_worker_id": colleague}, headers=token("operator")).json()
    assert [i["referral_id"] for i in listed["items"]] == [created["referral_id"]]


def test_a_reassignment_of_a_closed_episode_is_recorded_and_ignored(client, token, settings):
    created = refer(client, token)
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "not_the_right_time"}, headers=token())
    moved = case_event(
        created, CaseReassigned, from_link_worker_id=uuid.UUID(created["link_worker_id"]), reassigned_on=TODAY
    )
    deliver(client, settings, (moved[0], moved[1].model_copy(update={"link_worker_id": uuid.uuid4()})))
    assert count(client, "ignored_case_events") == 1
    assert caseloads(client, token) == {}
