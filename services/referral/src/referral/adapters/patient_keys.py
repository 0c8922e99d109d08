"""The patient key store: one data key per patient, one patient per NHS number (by pseudonym).

Shredding a key (erasure) destroys the key; every copy of the patient's sealed fields becomes noise.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from contracts import new_event_id
from contracts.pii import new_data_key


@dataclass(frozen=True)
class PatientKey:
    patient_id: uuid.UUID
    key_id: str
    key: bytes | None  # None once shredded


def key_for_nhs_pseudonym(cur, pseudonym: str) -> PatientKey:
    """The patient with this NHS number pseudonym, created on first sight, row-locked until commit so
    two referrals for one patient are assessed one after the other."""
    patient_id = new_event_id()
    # DO UPDATE (a no-op change) rather than DO NOTHING: it locks and returns the existing row too
    cur.execute(
        "INSERT INTO patient_keys (patient_id, key_id, data_key, nhs_number_pseudonym) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (nhs_number_pseudonym) DO UPDATE SET nhs_number_pseudonym = EXCLUDED.nhs_number_pseudonym"
        " RETURNING patient_id, key_id, data_key",
        (patient_id, f"pk-{patient_id}", new_data_key(), pseudonym),
    )
    return _key(cur.fetchone())


def key_of_patient(cur, patient_id: uuid.UUID) -> PatientKey | None:
    cur.execute("SELECT patient_id, key_id, data_key FROM patient_keys WHERE patient_id = %s", (patient_id,))
    row = cur.fetchone()
    return _key(row) if row else None


class DatabaseKeyRing:
    """`contracts.pii.KeyRing` over the key store, for one transaction's cursor."""

    def __init__(self, cur) -> None:
        self._cur = cur

    def get(self, key_id: str) -> bytes | None:
        self._cur.execute("SELECT data_key FROM patient_keys WHERE key_id = %s", (key_id,))
        row = self._cur.fetchone()
        return bytes(row[0]) if row and row[0] is not None else None


def _key(row) -> PatientKey:
    return PatientKey(patient_id=row[0], key_id=row[1], key=bytes(row[2]) if row[2] is not None else None)
