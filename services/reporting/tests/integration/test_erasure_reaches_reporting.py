"""A patient's erasure reaches reporting: the NHS-number pseudonym mapping goes (and no copy stays in
the facts), on `PatientErased` as on the tombstone of the pseudonym topic, hospital activity uploaded
later for that NHS number is counted unknown, a replay of the patient's pseudonym record adds nothing
back, and the payable ledger and its evidence ids stay."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime

from reporting_testkit import case_envelopes, consume, engaged_case, pseudonym_record, query, referral_envelopes

from contracts.codec import decode, encode
from contracts.pii import nhs_number_pseudonym
from contracts.referral import PatientErased
from linkwell_runtime.settings import DEVELOPMENT_PSEUDONYM_SECRET
from linkwell_runtime.testing import cursor
from reporting.adapters import projections

ERASED_NHS, OTHER_NHS = "9434765919", "9434765870"
PSEUDONYM = nhs_number_pseudonym(ERASED_NHS, DEVELOPMENT_PSEUDONYM_SECRET.encode())
CSV = {"Content-Type": "text/csv"}
ACTIVITY = "nhs_number,activity_type,activity_date,cost_pence\n{nhs},admission,{on},150000\n"


def _paid_case(settings, nhs_number: str):
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    case.star(date(2025, 6, 10), 43)  # +3 after 151 days: a W line
    received = referral_envelopes(case, date(2025, 1, 2), nhs_number=nhs_number)
    consume(settings, received + case_envelopes(case))
    return case, received[0]


def _erasure(patient_id) -> object:
    now = datetime.now(UTC)
    return encode(
        PatientErased(patient_id=patient_id, erased_at=now),
        aggregate_id=str(patient_id),
        aggregate_version=1,
        occurred_at=now,
        recorded_at=now,
        producer="referral",
    )


def _upload(client, token, nhs: str, on: str) -> dict:
    answer = client.post(
        "/commissioner/hospital-activity",
        content=ACTIVITY.format(nhs=nhs, on=on).encode(),
        headers=token() | CSV,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def _ledger(client, token) -> dict:
    answer = client.get("/outcomes/payable", params={"as_of": "2026-12-31"}, headers=token("finance"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_after_erasure_a_late_hospital_activity_row_is_counted_unknown_and_the_ledger_stays(settings, client, token):
    erased, _ = _paid_case(settings, ERASED_NHS)
    kept, _ = _paid_case(settings, OTHER_NHS)
    before_upload = _upload(client, token, ERASED_NHS, "2025-08-01")
    assert before_upload["rows_applied"] == 1 and before_upload["rows_unknown_nhs_number"] == 0
    ledger = _ledger(client, token)
    assert {line["patient_id"] for line in ledger["lines"]} == {str(erased.patient_id), str(kept.patient_id)}
    evidence = {
        line["outcome_id"]: client.get(f"/outcomes/{line['outcome_id']}/evidence", headers=token("finance")).json()
        for line in ledger["lines"]
    }

    consume(settings, [_erasure(erased.patient_id), _erasure(erased.patient_id)])  # redelivered: no change

    assert query(settings, "SELECT patient_id FROM patients") == [(kept.patient_id,)]
    assert query(settings, "SELECT patient_id FROM erased_patients") == [(erased.patient_id,)]
    late = _upload(client, token, ERASED_NHS, "2025-09-01")
    assert (
        late["rows_applied"] == 0 and late["rows_unknown_nhs_number"] == 1 and late["unknown_nhs_number_lines"] == [2]
    )
    assert _upload(client, token, OTHER_NHS, "2025-09-01")["rows_applied"] == 1  # others still match
    assert query(settings, "SELECT count(*) FROM activity_rows WHERE patient_id = %s", (erased.patient_id,)) == [(1,)]

    assert _ledger(client, token)["lines"] == ledger["lines"]  # the ledger and its evidence ids, unchanged
    for outcome_id, shown in evidence.items():
        assert client.get(f"/outcomes/{outcome_id}/evidence", headers=token("finance")).json() == shown


def test_nothing_in_reporting_keeps_the_erased_patients_pseudonym(settings, client, token):
    erased, received = _paid_case(settings, ERASED_NHS)
    consume(settings, [_erasure(erased.patient_id)])

    assert query(settings, "SELECT count(*) FROM facts WHERE payload::text LIKE %s", (f"%{PSEUDONYM}%",)) == [(0,)]
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--exclude-table=events",
            "--exclude-table=outbox",
            "--dbname",
            settings.database_url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert PSEUDONYM not in dump
    assert str(erased.patient_id) in dump  # the ledger's pseudonymous key stays

    # a rebuild replays the topics from the start: the patient's ReferralReceived and (before the topic
    # was compacted) pseudonym record again, after the erasure
    envelope, payload = decode(received.to_bytes())
    with cursor(settings.database_url) as cur:
        projections.apply_events(cur, [(envelope, payload)])
    consume(settings, [pseudonym_record(erased.patient_id, ERASED_NHS)])
    assert query(settings, "SELECT count(*) FROM patients") == [(0,)]


def test_the_pseudonym_topics_tombstone_alone_forgets_the_patient(settings, client, token):
    erased, _ = _paid_case(settings, ERASED_NHS)
    assert _upload(client, token, ERASED_NHS, "2025-08-01")["rows_applied"] == 1

    consume(settings, [pseudonym_record(erased.patient_id, None)])  # before PatientErased arrives

    assert query(settings, "SELECT count(*) FROM patients") == [(0,)]
    late = _upload(client, token, ERASED_NHS, "2025-09-01")
    assert late["rows_applied"] == 0 and late["rows_unknown_nhs_number"] == 1


def test_the_same_person_referred_again_after_erasure_is_matched_as_the_new_patient_in_any_order(
    settings, client, token
):
    """After an erasure the referral service refers the same NHS number as a new patient; a lagging
    consumer or a rebuild may meet that referral before the erased patient's erasure or referral."""
    erased, old_received = _paid_case(settings, ERASED_NHS)
    again, _ = engaged_case(date(2026, 6, 1), date(2026, 6, 8), 40)
    # the new patient's referral arrives before the old patient's erasure
    consume(settings, referral_envelopes(again, date(2026, 6, 1), nhs_number=ERASED_NHS))
    consume(settings, [_erasure(erased.patient_id)])
    assert query(settings, "SELECT patient_id FROM patients") == [(again.patient_id,)]

    # the erased patient's referral and pseudonym record replayed after both (a rebuild's other
    # partition): no change
    envelope, payload = decode(old_received.to_bytes())
    with cursor(settings.database_url) as cur:
        projections.apply_events(cur, [(envelope, payload)])
    consume(settings, [pseudonym_record(erased.patient_id, ERASED_NHS, known_since=datetime(2025, 1, 2, tzinfo=UTC))])
    assert query(settings, "SELECT patient_id FROM patients") == [(again.patient_id,)]

    upload = _upload(client, token, ERASED_NHS, "2026-07-01")
    assert upload["rows_applied"] == 1 and upload["rows_unknown_nhs_number"] == 0
    assert query(settings, "SELECT patient_id FROM activity_rows WHERE activity_date = '2026-07-01'") == [
        (again.patient_id,)
    ]
