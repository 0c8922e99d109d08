"""End to end: the NHS-number pseudonym reaches reporting only through the referral service's compacted
pseudonym topic (no event carries it), so a commissioner's hospital-activity row for a patient referred
now is matched; after the patient's erasure (a tombstone there, `PatientErased` on the referral topic)
a late row for the same NHS number is counted unknown. Real processes, polled with deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from e2e_platform import referral_body, token

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import scalar, wait_until

REFERRED_ON = date.today() - timedelta(days=30)
NHS = "943 476 5919"
CSV = "nhs_number,activity_type,activity_date,cost_pence\n9434765919,admission,{on},150000\n"


def _upload(reporting_api, on: date) -> dict:
    answer = reporting_api.post(
        "/commissioner/hospital-activity",
        content=CSV.format(on=on.isoformat()).encode(),
        headers=token(Role.FINANCE) | {"Content-Type": "text/csv"},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_upload_matches_a_patient_through_the_pseudonym_topic_and_not_after_erasure(platform):
    platform.start("referral-api", "referral-relay", "reporting-api", "reporting-consumer")
    referral_api, reporting_api = platform.http["referral"], platform.http["reporting"]
    reporting_db = platform.databases["reporting"]
    referrer = token(Role.REFERRER, practice="A85001")
    answer = referral_api.post(
        "/referrals",
        headers=referrer,
        json=referral_body(REFERRED_ON, nhs_number=NHS),
    )
    assert answer.status_code == 201, answer.text
    referral_id = answer.json()["referral_id"]
    wait_until(
        lambda: (
            scalar(reporting_db, "SELECT count(*) FROM patients") == 1
            and scalar(reporting_db, "SELECT count(*) FROM facts WHERE event_type = 'ReferralReceived'") == 1
        ),
        timeout=90,
        what="reporting to map the patient's pseudonym and keep the referral",
    )
    assert scalar(reporting_db, "SELECT schema_version FROM facts WHERE event_type = 'ReferralReceived'") == 2

    matched = _upload(reporting_api, REFERRED_ON + timedelta(days=3))
    assert (matched["rows_applied"], matched["rows_unknown_nhs_number"]) == (1, 0)

    declined = referral_api.post(f"/referrals/{referral_id}/decline", json={"reason": "other"}, headers=referrer)
    assert declined.status_code == 200, declined.text
    patient_id = referral_api.get(f"/referrals/{referral_id}", headers=token(Role.OPERATOR)).json()["patient_id"]
    erased = referral_api.post(f"/patients/{patient_id}/erasure", headers=token(Role.OPERATOR))
    assert erased.status_code == 200, erased.text
    wait_until(
        lambda: scalar(reporting_db, "SELECT count(*) FROM patients") == 0,
        timeout=90,
        what="reporting to forget the erased patient's pseudonym",
    )

    late = _upload(reporting_api, REFERRED_ON + timedelta(days=4))
    assert (late["rows_applied"], late["rows_unknown_nhs_number"]) == (0, 1)
