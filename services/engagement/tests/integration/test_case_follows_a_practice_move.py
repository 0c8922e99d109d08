"""`PatientPracticeChanged` from the referral service (issue 18, docs/domain.md §3.5): a referral that
moves practice while it waits opens its case with the new practice; an open case keeps its practice
and its link worker."""

from __future__ import annotations

import uuid

from engagement_testkit import PRACTICE, WORKER, _envelope, consume, referral_envelopes

from contracts.referral import PatientPracticeChanged

NEW_PRACTICE = "A86009"


def _moved(referral_id: uuid.UUID, patient_id: uuid.UUID, *, kept: bool, version: int):
    event = PatientPracticeChanged(
        referral_id=referral_id,
        patient_id=patient_id,
        from_practice_ods_code=PRACTICE,
        practice_ods_code=NEW_PRACTICE,
        provider_id=None,
        case_kept=kept,
        changed_on=referral_envelopes(referral_id)[0].payload["referred_on"],
    )
    return _envelope(event, referral_id, version, "referral")


def test_a_waiting_referral_that_moved_practice_opens_its_case_with_the_new_practice(settings, client, token):
    referral_id, patient_id = uuid.uuid4(), uuid.uuid4()
    received, allocated = referral_envelopes(referral_id, patient_id=patient_id)
    consume(settings, [received, _moved(referral_id, patient_id, kept=False, version=2), allocated])
    case = client.get(f"/cases/{referral_id}", headers=token())
    assert case.status_code == 200, case.text
    assert (case.json()["practice_ods_code"], case.json()["link_worker_id"]) == (NEW_PRACTICE, str(WORKER))


def test_an_open_case_keeps_its_practice_and_link_worker_when_the_patient_moves(settings, client, token):
    referral_id, patient_id = uuid.uuid4(), uuid.uuid4()
    consume(settings, referral_envelopes(referral_id, patient_id=patient_id))
    consume(settings, [_moved(referral_id, patient_id, kept=True, version=4)])
    case = client.get(f"/cases/{referral_id}", headers=token()).json()
    assert (case["practice_ods_code"], case["link_worker_id"], case["status"]) == (PRACTICE, str(WORKER), "allocated")
