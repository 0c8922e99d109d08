"""A patient's right to erasure (DOMAIN §7): crypto-shredding of their data key.

The key is destroyed, so every sealed field of the patient (in this service's read model, in the
event store, on every copy of the referral topic) is noise from now on; `PatientErased` tells the
other services to delete the plaintext they keep (engagement's free text). Dates, codes, amounts and
evidence ids stay, so the outcome ledger answers as before. The NHS-number pseudonym row stays too:
it is what refuses a new referral of an erased patient (409) until a re-keying rule is decided.
"""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from contracts.referral import PatientErased
from linkwell_runtime.auth import Principal
from referral.service_layer.errors import NotFound
from referral.service_layer.unit_of_work import UnitOfWork


def erase_patient(uow: UnitOfWork, who: Principal, patient_id: UUID) -> dict:
    """Shred the patient's key once (a repeated request answers the first erasure's time)."""
    uow.cur.execute("SELECT shredded_at FROM patient_keys WHERE patient_id = %s FOR UPDATE", (patient_id,))
    row = uow.cur.fetchone()
    if row is None:
        raise NotFound(f"no patient {patient_id}")
    if row[0] is not None:
        return _answer(patient_id, row[0], already=True)
    uow.cur.execute("UPDATE patient_keys SET data_key = NULL, shredded_at = %s WHERE patient_id = %s",
                    (uow.now, patient_id))
    uow.cur.execute("INSERT INTO access_audit (subject, role, action, patient_id, fields)"
                    " VALUES (%s, %s, 'erase', %s, %s)", (who.sub, who.role.value, patient_id, ["data_key"]))
    aggregate_id = str(patient_id)
    uow.log.append(aggregate_id, uow.log.version_of(aggregate_id),
                   [PatientErased(patient_id=patient_id, erased_at=uow.now)], uow.stamp())
    return _answer(patient_id, uow.now, already=False)


def _answer(patient_id: UUID, erased_at: datetime, *, already: bool) -> dict:
    return {"patient_id": patient_id, "erased_at": erased_at, "already_erased": already}
