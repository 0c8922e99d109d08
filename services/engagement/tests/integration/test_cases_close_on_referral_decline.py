"""A referral declined through the referral service closes its case (the consumer's handler, real DB)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from engagement_testkit import ALLOCATED_ON, PRACTICE, PROVIDER, WORKER, consume, contact_body, referral_envelopes

from contracts.codec import encode
from contracts.referral import ReferralClosed, ReferralDeclined, ReferralStatus
from linkwell_runtime.testing import query


def declined(referral_id: uuid.UUID, on: date = date(2024, 7, 1), version: int = 4):
    payload = ReferralDeclined(
        referral_id=referral_id, from_status=ReferralStatus.ALLOCATED, reason_code="not_interested", declined_on=on
    )
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    return encode(
        payload,
        aggregate_id=referral_id,
        aggregate_version=version,
        occurred_at=when,
        recorded_at=when,
        producer="referral",
        correlation_id=uuid.uuid4(),
    )


def closed(referral_id: uuid.UUID, patient_id: uuid.UUID, on: date = date(2024, 7, 1)):
    payload = ReferralClosed(
        referral_id=referral_id,
        patient_id=patient_id,
        practice_ods_code=PRACTICE,
        status=ReferralStatus.DECLINED,
        closed_on=on,
        referred_on=date(2024, 6, 3),
        provider_id=PROVIDER,
        link_worker_id=WORKER,
        decline_reason="not_interested",
    )
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    return encode(
        payload, aggregate_id=referral_id, aggregate_version=5, occurred_at=when, recorded_at=when, producer="referral"
    )


def case_events(settings, case_id) -> list[tuple]:
    return query(
        settings.database_url,
        "SELECT event_type, envelope->'payload'->>'reason', envelope->'payload'->>'discharged_on',"
        " envelope->>'causation_id', envelope->>'correlation_id' FROM events"
        " WHERE aggregate_id = %s ORDER BY aggregate_version",
        (str(case_id),),
    )


def test_a_decline_discharges_the_open_case_as_declined_further_support(settings):
    referral_id, patient_id = uuid.uuid4(), uuid.uuid4()
    decline = declined(referral_id)
    consume(
        settings, [*referral_envelopes(referral_id, patient_id=patient_id), decline, closed(referral_id, patient_id)]
    )
    events = case_events(settings, referral_id)
    assert [e[0] for e in events] == ["CaseOpened", "CaseDischarged"]
    assert events[1] == (
        "CaseDischarged",
        "declined_further_support",
        "2024-07-01",
        str(decline.event_id),
        str(decline.correlation_id),
    )
    assert query(
        settings.database_url, "SELECT status, closed_on, is_open FROM cases WHERE case_id = %s", (referral_id,)
    ) == [("discharged", date(2024, 7, 1), False)]
    # the case's two events and no discharge summary to the practice: declined before any contact, the
    # support never started (a referral declined while it waited in the queue has none either)
    assert query(settings.database_url, "SELECT topic FROM outbox ORDER BY id") == [
        (settings.engagement_topic,),
        (settings.engagement_topic,),
    ]


def test_a_decline_after_first_contact_sends_the_practice_its_summary(client, token, open_case, settings):
    case_id = open_case()
    answer = client.post(
        f"/cases/{case_id}/contacts", json=contact_body(occurred_at="2024-06-20T10:00:00+01:00"), headers=token()
    )
    assert answer.status_code == 201
    consume(settings, [declined(case_id, on=date(2024, 7, 1))])
    assert case_events(settings, case_id)[-1][:3] == ("CaseDischarged", "declined_further_support", "2024-07-01")
    # issue 18 item 7: the summary to the practice, in the discharge's transaction
    assert query(settings.database_url, "SELECT count(*) FROM outbox WHERE topic = %s", (settings.practice_topic,)) == [
        (1,)
    ]


def test_a_redelivered_decline_does_nothing_more(settings):
    referral_id = uuid.uuid4()
    consume(settings, referral_envelopes(referral_id))
    decline = declined(referral_id)
    consume(settings, [decline])
    consume(settings, [decline])
    assert [e[0] for e in case_events(settings, referral_id)] == ["CaseOpened", "CaseDischarged"]


def test_a_decline_of_a_case_already_closed_changes_nothing(client, token, open_case, settings):
    case_id = open_case()
    assert (
        client.post(
            f"/cases/{case_id}/discharge", json={"discharged_on": "2024-06-20", "reason": "moved_away"}, headers=token()
        ).status_code
        == 201
    )
    consume(settings, [declined(case_id)])
    events = case_events(settings, case_id)
    assert [e[0] for e in events] == ["CaseOpened", "CaseDischarged"] and events[1][1] == "moved_away"


def test_a_decline_dated_before_later_case_work_closes_the_case_on_its_last_day(client, token, open_case, settings):
    case_id = open_case()
    assert (
        client.post(
            f"/cases/{case_id}/contacts", json=contact_body(occurred_at="2024-07-03T10:00:00+01:00"), headers=token()
        ).status_code
        == 201
    )
    consume(settings, [declined(case_id, on=date(2024, 7, 1))])
    assert case_events(settings, case_id)[-1][:3] == ("CaseDischarged", "declined_further_support", "2024-07-03")


def test_a_decline_of_a_referral_without_a_case_is_ignored(settings):
    consume(settings, [declined(uuid.uuid4())])
    assert query(settings.database_url, "SELECT count(*) FROM events") == [(0,)]


def test_a_decline_dated_before_the_case_opened_discharges_it_on_its_opening_day(settings):
    """Before first contact the referral service takes a decline dated from the assessment on, which may
    be before the allocation (docs/security.md §3.1): the case is never discharged before it opened."""
    referral_id = uuid.uuid4()
    consume(settings, [*referral_envelopes(referral_id), declined(referral_id, on=date(2024, 5, 1))])
    assert case_events(settings, referral_id)[-1][:3] == (
        "CaseDischarged",
        "declined_further_support",
        ALLOCATED_ON.isoformat(),
    )
