"""The discharge summary engagement sends the referrer's practice (`DischargeSummaryIssued` on the
practice topic) is kept by the referral service's consumer and read by the referrer beside the
episode's own summary (issue 19): once per case, for the referrer of that practice, the link worker and
the provider's manager only; a summary about a referral this service never had is poison."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from referral_testkit import VALID_NHS, count, referral_body, with_allocation

from contracts.codec import encode
from contracts.engagement import CaseContacted, CaseDischarged
from contracts.practice import SNOMED_DISPLAY, CodedConcept, DischargeSummaryIssued, SnomedConcept, discharge_summary_id
from linkwell_runtime.consumer import PoisonEvent
from referral.service_layer.practice_summaries import apply_followed_event

TODAY = datetime.now(ZoneInfo("Europe/London")).date()


def _envelope(payload, aggregate_id, producer: str = "engagement"):
    now = datetime.now(UTC)
    return encode(
        payload, aggregate_id=aggregate_id, aggregate_version=1, occurred_at=now, recorded_at=now, producer=producer
    ), payload


def deliver(client, envelope_and_payload) -> None:
    envelope, payload = envelope_and_payload
    services = client.app.state.services
    with services.pool.transaction() as cur:
        apply_followed_event(services.unit_of_work(cur, cause=envelope), envelope, payload)


def summary_event(created: dict, *, referral_id: str | None = None, shared: bool = False):
    case_id = uuid.UUID(referral_id or created["referral_id"])
    payload = DischargeSummaryIssued(
        summary_id=discharge_summary_id(case_id),
        referral_id=case_id,
        practice_ods_code="A85001",
        provider_id=uuid.UUID(created["provider_id"]),
        link_worker_id=uuid.UUID(created["link_worker_id"]),
        codes=(
            CodedConcept(
                code=SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING,
                display=SNOMED_DISPLAY[SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING],
            ),
        ),
        reason="goals_met",
        opened_on=TODAY,
        first_contact_on=TODAY,
        discharged_on=TODAY + timedelta(days=1),
        contacts_held=3,
        outcomes_shared=shared,
    )
    return _envelope(payload, payload.summary_id)


def discharged(client, token) -> dict:
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0], referred_on=None), headers=token())
    created = with_allocation(client, token, created.json())
    common = {
        "case_id": uuid.UUID(created["referral_id"]),
        "patient_id": uuid.uuid4(),
        "provider_id": uuid.UUID(created["provider_id"]),
        "link_worker_id": uuid.UUID(created["link_worker_id"]),
    }
    deliver(
        client, _envelope(CaseContacted(contact_id=uuid.uuid4(), contacted_on=TODAY, **common), created["referral_id"])
    )
    ended = CaseDischarged(
        reason="goals_met", discharged_on=TODAY + timedelta(days=1), contacts_count=3, stars_count=0, **common
    )
    deliver(client, _envelope(ended, created["referral_id"]))
    return created


def test_the_referrer_reads_the_summary_sent_to_their_practice_once_it_came(client, token):
    created = discharged(client, token)
    path = f"/referrals/{created['referral_id']}/discharge-summary"
    assert client.get(path, headers=token()).json()["sent_to_practice"] is None  # not come yet

    event = summary_event(created)
    deliver(client, event)
    deliver(client, event)  # redelivered: kept once
    assert count(client, "practice_discharge_summaries") == 1
    sent = client.get(path, headers=token()).json()["sent_to_practice"]
    assert sent["reason"] == "goals_met" and sent["contacts_held"] == 3 and sent["outcomes_shared"] is False
    assert sent["codes"][0]["code"] == SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING.value
    assert date.fromisoformat(sent["discharged_on"]) == TODAY + timedelta(days=1)
    shown = client.get(f"/referrals/{created['referral_id']}", headers=token()).json()
    assert shown["discharge_summary"]["sent_to_practice"] == sent

    manager = token("provider_manager", provider_id=created["provider_id"])
    assert client.get(path, headers=manager).json()["sent_to_practice"] == sent
    assert client.get(path, headers=token("referrer", practice="A85002")).status_code == 404
    assert client.get(path, headers=token("operator")).status_code == 403


def test_a_summary_about_a_referral_never_received_is_poison(client, token):
    created = discharged(client, token)
    with pytest.raises(PoisonEvent):
        deliver(client, summary_event(created, referral_id=str(uuid.uuid4())))
    assert count(client, "practice_discharge_summaries") == 0
