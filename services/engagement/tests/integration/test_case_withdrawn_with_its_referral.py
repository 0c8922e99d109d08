"""A referral withdrawn as made in error closes its case (issue 18, item 1): `CaseWithdrawn`, no
discharge, no discharge summary on the practice topic; a closed case stays as it is; every read model
shows the case withdrawn and the case refuses further work (the consumer's handler, real DB). So does a
referral found ineligible by a correction of its entries before first contact (`ReferralClosed` with
status `ineligible`, docs/domain.md §3.5)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from engagement_testkit import ALLOCATED_ON, PRACTICE, PROVIDER, WORKER, consume, contact_body, referral_envelopes

from contracts.codec import encode
from contracts.referral import IneligibilityReason, ReferralClosed, ReferralStatus, ReferralWithdrawn
from linkwell_runtime.testing import query


def withdrawn(referral_id: uuid.UUID, on: date = date(2024, 7, 1), version: int = 4):
    payload = ReferralWithdrawn(
        referral_id=referral_id,
        patient_id=uuid.uuid4(),
        practice_ods_code=PRACTICE,
        from_status=ReferralStatus.ALLOCATED,
        reason_code="wrong_patient",
        withdrawn_on=on,
        provider_id=PROVIDER,
        link_worker_id=WORKER,
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


def case_events(settings, case_id) -> list[tuple]:
    return query(
        settings.database_url,
        "SELECT event_type, envelope->'payload'->>'withdrawn_on', envelope->>'causation_id' FROM events"
        " WHERE aggregate_id = %s ORDER BY aggregate_version",
        (str(case_id),),
    )


def test_a_withdrawal_closes_the_open_case_with_no_outcome_and_no_summary(settings, client, token):
    referral_id = uuid.uuid4()
    withdrawal = withdrawn(referral_id)
    consume(settings, [*referral_envelopes(referral_id), withdrawal])
    events = case_events(settings, referral_id)
    assert [e[0] for e in events] == ["CaseOpened", "CaseWithdrawn"]
    assert events[1] == ("CaseWithdrawn", "2024-07-01", str(withdrawal.event_id))
    assert query(settings.database_url, "SELECT status, is_open FROM cases WHERE case_id = %s", (referral_id,)) == [
        ("withdrawn", False)
    ]
    assert query(settings.database_url, "SELECT count(*) FROM events WHERE event_type = 'CaseDischarged'") == [(0,)]
    assert query(settings.database_url, "SELECT count(*) FROM events WHERE event_type = 'DischargeSummaryIssued'") == [
        (0,)
    ]
    # every list shows it withdrawn, and it takes no more work
    listed = client.get("/cases", params={"status": "withdrawn"}, headers=token()).json()
    assert [i["case_id"] for i in listed["items"]] == [str(referral_id)]
    answer = client.post(f"/cases/{referral_id}/contacts", json=contact_body(), headers=token())
    assert answer.status_code == 409
    # redelivery changes nothing
    consume(settings, [withdrawal])
    assert len(case_events(settings, referral_id)) == 2


def test_a_withdrawal_after_later_case_work_closes_the_case_on_its_last_day(client, token, open_case, settings):
    case_id = open_case()
    answer = client.post(
        f"/cases/{case_id}/contacts", json=contact_body(occurred_at="2024-07-03T10:00:00+01:00"), headers=token()
    )
    assert answer.status_code == 201
    consume(settings, [withdrawn(case_id, on=date(2024, 7, 1))])
    assert case_events(settings, case_id)[-1][:2] == ("CaseWithdrawn", "2024-07-03")


def test_a_withdrawal_of_a_closed_case_changes_nothing(client, token, open_case, settings):
    case_id = open_case()
    discharge = {"discharged_on": "2024-06-20", "reason": "moved_away"}
    assert client.post(f"/cases/{case_id}/discharge", json=discharge, headers=token()).status_code == 201
    consume(settings, [withdrawn(case_id)])
    assert [e[0] for e in case_events(settings, case_id)] == ["CaseOpened", "CaseDischarged"]


def test_a_withdrawal_of_a_referral_without_a_case_is_ignored(settings):
    consume(settings, [withdrawn(uuid.uuid4())])
    assert query(settings.database_url, "SELECT count(*) FROM events") == [(0,)]


def found_ineligible(referral_id: uuid.UUID, on: date = date(2024, 7, 1)):
    payload = ReferralClosed(
        referral_id=referral_id,
        patient_id=uuid.uuid4(),
        practice_ods_code=PRACTICE,
        status=ReferralStatus.INELIGIBLE,
        closed_on=on,
        referred_on=ALLOCATED_ON,
        provider_id=PROVIDER,
        link_worker_id=WORKER,
        ineligibility_reasons=(
            IneligibilityReason(code="no_qualifying_condition", message="no qualifying long-term condition"),
        ),
        contacts_count=0,
    )
    when = datetime(on.year, on.month, on.day, tzinfo=UTC)
    return encode(
        payload, aggregate_id=referral_id, aggregate_version=5, occurred_at=when, recorded_at=when, producer="referral"
    )


def test_a_referral_found_ineligible_before_first_contact_closes_its_case_as_made_in_error(settings):
    referral_id = uuid.uuid4()
    closing = found_ineligible(referral_id)
    consume(settings, [*referral_envelopes(referral_id), closing])
    events = case_events(settings, referral_id)
    assert events == [("CaseOpened", None, events[0][2]), ("CaseWithdrawn", "2024-07-01", str(closing.event_id))]
    assert query(settings.database_url, "SELECT count(*) FROM events WHERE event_type = 'DischargeSummaryIssued'") == [
        (0,)
    ]
    consume(settings, [closing])  # redelivered: nothing more
    assert len(case_events(settings, referral_id)) == 2


def test_a_withdrawal_dated_before_the_case_opened_closes_it_on_its_opening_day(settings):
    """Before first contact the referral service takes a withdrawal dated from the assessment on, which
    may be before the allocation (docs/security.md §3.1): the case never closes before it opened."""
    referral_id = uuid.uuid4()
    consume(settings, [*referral_envelopes(referral_id), withdrawn(referral_id, on=date(2024, 5, 1))])
    assert case_events(settings, referral_id)[-1][:2] == ("CaseWithdrawn", ALLOCATED_ON.isoformat())
