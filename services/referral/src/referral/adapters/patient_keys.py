"""The patient key store: one data key per patient, one patient per NHS number (by pseudonym).

Shredding a key (erasure) destroys the key; every copy of the patient's sealed fields becomes noise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg2.extensions import cursor as Cursor

from contracts import new_event_id
from contracts.pii import new_data_key


@dataclass(frozen=True)
class PatientKey:
    patient_id: uuid.UUID
    key_id: str
    key: bytes | None  # None once shredded


def key_for_nhs_pseudonym(cur: Cursor, pseudonym: str) -> PatientKey:
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


def key_of_patient(cur: Cursor, patient_id: uuid.UUID) -> PatientKey | None:
    cur.execute("SELECT patient_id, key_id, data_key FROM patient_keys WHERE patient_id = %s", (patient_id,))
    row = cur.fetchone()
    return _key(row) if row else None


@dataclass(frozen=True)
class Shredding:
    shredded_at: datetime | None  # None while the key exists


def lock_for_erasure(cur: Cursor, patient_id: uuid.UUID) -> Shredding | None:
    """Whether (and when) the patient's key was shredded, the row locked until commit so two erasures
    take turns; None for an unknown patient."""
    cur.execute("SELECT shredded_at FROM patient_keys WHERE patient_id = %s FOR UPDATE", (patient_id,))
    row = cur.fetchone()
    return None if row is None else Shredding(row[0])


def shred_key(cur: Cursor, patient_id: uuid.UUID, at: datetime) -> None:
    """Destroy the patient's data key: every sealed field of theirs is noise from now on."""
    cur.execute("UPDATE patient_keys SET data_key = NULL, shredded_at = %s WHERE patient_id = %s", (at, patient_id))


class DatabaseKeyRing:
    """`contracts.pii.KeyRing` over the key store, for one transaction's cursor."""

    def __init__(self, cur: Cursor) -> None:
        self._cur = cur

    def get(self, key_id: str) -> bytes | None:
        self._cur.execute("SELECT data_key FROM patient_keys WHERE key_id = %s", (key_id,))
        row = self._cur.fetchone()
        return bytes(row[0]) if row and row[0] is not None else None


def _key(row: Any) -> PatientKey:  # a patient_keys row: (patient_id, key_id, data_key)
    return PatientKey(patient_id=row[0], key_id=row[1], key=bytes(row[2]) if row[2] is not None else None)
