"""A patient's right to erasure (docs/domain.md §7): crypto-shredding of their data key.

The key is destroyed, so every sealed field of the patient (in this service's read model, in the
event store, on every copy of the referral topic) is noise from now on; `PatientErased` tells the
other services to delete the plaintext they keep (engagement's free text). Dates, codes, amounts and
evidence ids stay, so the outcome ledger answers as before. The NHS-number pseudonym is forgotten
(`shred_key`) and taken back from its compacted topic (a tombstone, `forget_pseudonym`): a later
referral of the same person is a new patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts.referral import PatientErased
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Conflict, NotFound
from referral.adapters import reference_data
from referral.adapters.access_audit import record_access
from referral.adapters.patient_keys import lock_for_erasure, shred_key
from referral.service_layer.patient_pseudonyms import forget_pseudonym
from referral.service_layer.unit_of_work import ReferralUnitOfWork


@dataclass(frozen=True)
class Erasure:
    patient_id: UUID
    erased_at: datetime
    already_erased: bool


def erase_patient(uow: ReferralUnitOfWork, who: Principal, patient_id: UUID) -> Erasure:
    """Shred the patient's key once (a repeated request answers the first erasure's time); 409 while
    an episode of theirs is open."""
    key = lock_for_erasure(uow.cur, patient_id)
    if key is None:
        raise NotFound(f"no patient {patient_id}")
    if key.shredded_at is not None:
        return Erasure(patient_id, key.shredded_at, already_erased=True)
    if reference_data.has_any_open_episode(uow.cur, patient_id):
        # the person referred again after an erasure is a new patient: an episode left open would
        # let them hold two places at once (and be paid for twice)
        raise Conflict("the patient has an open referral: close it (discharge or decline) before erasing")
    shred_key(uow.cur, patient_id, uow.now)
    forget_pseudonym(uow.cur, uow.settings.patient_pseudonyms_topic, patient_id)
    record_access(uow.cur, who, "erase", patient_id, ["data_key"], uow.now)
    uow.events.append(
        patient_id,
        uow.events.version_of(patient_id),
        [PatientErased(patient_id=patient_id, erased_at=uow.now)],
        uow.stamp(),
    )
    return Erasure(patient_id, uow.now, already_erased=False)
