"""The patient key store: one data key per patient, one patient per NHS number (by pseudonym).

Each data key is stored only wrapped by a key-encryption key (KEK) the database never holds
(`linkwell_runtime.key_wrapping`): `wrapped_key` under the KEK `kek_id`. Shredding a key (erasure)
destroys the wrapped key; every copy of the patient's sealed fields becomes noise. `data_key` is the
clear column of databases made before wrapping (revision referral-0004): `wrap_clear_keys` empties it
at start-up and `rewrap` (`linkwell keys rotate referral`) too.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg2.extensions import cursor as Cursor

from contracts import new_event_id
from contracts.pii import new_data_key
from linkwell_runtime.key_wrapping import KeyEncryptionKeys
from linkwell_runtime.wrapped_keys import WrappedKeyTable


@dataclass(frozen=True)
class PatientKey:
    patient_id: uuid.UUID
    key_id: str
    key: bytes | None  # None once shredded
    new: bool = False  # made just now: the first referral of this person (or the first since an erasure)


_ROW = "patient_id, key_id, data_key, kek_id, wrapped_key"


def key_for_nhs_pseudonym(cur: Cursor, keks: KeyEncryptionKeys, pseudonym: str) -> PatientKey:
    """The patient with this NHS number pseudonym, created on first sight (and again after an erasure,
    which forgets the pseudonym), row-locked until commit so two referrals for one patient are
    assessed one after the other."""
    patient_id = new_event_id()
    key_id = f"pk-{patient_id}"
    kek_id, wrapped = keks.wrap(new_data_key(), key_id)
    # DO UPDATE (a no-op change) rather than DO NOTHING: it locks and returns the existing row too;
    # xmax is 0 only in a row this statement inserted. A new row's pseudonym is published with it.
    cur.execute(
        "INSERT INTO patient_keys (patient_id, key_id, kek_id, wrapped_key, nhs_number_pseudonym, pseudonym_published_at)"
        " VALUES (%s, %s, %s, %s, %s, now())"
        " ON CONFLICT (nhs_number_pseudonym) DO UPDATE SET nhs_number_pseudonym = EXCLUDED.nhs_number_pseudonym"
        f" RETURNING {_ROW}, xmax = 0",
        (patient_id, key_id, kek_id, wrapped, pseudonym),
    )
    row = cur.fetchone()
    assert row is not None  # an upsert with RETURNING answers its row
    return dataclasses.replace(_key(row[:5], keks), new=row[5])


def key_of_patient(cur: Cursor, keks: KeyEncryptionKeys, patient_id: uuid.UUID) -> PatientKey | None:
    cur.execute(f"SELECT {_ROW} FROM patient_keys WHERE patient_id = %s", (patient_id,))
    row = cur.fetchone()
    return _key(row, keks) if row else None


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
    """Destroy the patient's data key, wrapped or not: every sealed field of theirs is noise from now on.
    The NHS-number pseudonym goes with it: a later referral of the same person is a new patient."""
    cur.execute(
        "UPDATE patient_keys SET data_key = NULL, wrapped_key = NULL, kek_id = NULL, nhs_number_pseudonym = NULL,"
        " shredded_at = %s WHERE patient_id = %s",
        (at, patient_id),
    )


@dataclass(frozen=True)
class KnownPseudonym:
    patient_id: uuid.UUID
    nhs_number_pseudonym: str
    known_since: datetime


def unpublished_pseudonyms(cur: Cursor) -> list[KnownPseudonym]:
    """The pseudonyms of patients still known (not erased) that were never published on the pseudonym
    topic (patients from before it), marked published in the caller's transaction: each is returned
    once, however many processes start at the same time (the UPDATE locks the rows it marks)."""
    cur.execute(
        "UPDATE patient_keys k SET pseudonym_published_at = now()"
        " WHERE pseudonym_published_at IS NULL AND nhs_number_pseudonym IS NOT NULL AND shredded_at IS NULL"
        " RETURNING patient_id, nhs_number_pseudonym,"
        " COALESCE((SELECT min(r.received_at) FROM referrals r WHERE r.patient_id = k.patient_id), created_at)"
    )
    return [KnownPseudonym(*row) for row in cur.fetchall()]


class DatabaseKeyRing:
    """`contracts.pii.KeyRing` over the key store, for one transaction's cursor."""

    def __init__(self, cur: Cursor, keks: KeyEncryptionKeys) -> None:
        self._cur = cur
        self._keks = keks

    def get(self, key_id: str) -> bytes | None:
        self._cur.execute(f"SELECT {_ROW} FROM patient_keys WHERE key_id = %s", (key_id,))
        row = self._cur.fetchone()
        return _key(row, self._keks).key if row else None


def _key(row: Any, keks: KeyEncryptionKeys) -> PatientKey:  # a patient_keys row in _ROW's order
    patient_id, key_id, clear, kek_id, wrapped = row
    if wrapped is not None:
        key: bytes | None = keks.unwrap(kek_id, bytes(wrapped), key_id)
    else:
        key = bytes(clear) if clear is not None else None  # a key from before wrapping, until start-up wraps it
    return PatientKey(patient_id=patient_id, key_id=key_id, key=key)


# -- wrapping at start-up and rotation -------------------------------------------------------------


# `linkwell keys status|rotate referral`: the runtime's rotation over this table (keys kept in clear
# before revision referral-0004 are in `data_key`)
_STORE = WrappedKeyTable("patient_keys", "patient_id", clear_column="data_key")
to_rewrap, kek_counts, rewrap_batch, rewrap = _STORE.to_rewrap, _STORE.kek_counts, _STORE.rewrap_batch, _STORE.rewrap


def wrap_clear_keys(cur: Cursor, keks: KeyEncryptionKeys) -> int:
    """At start-up: wrap any key still stored in clear (a database from before referral-0004)."""
    cur.execute("SELECT EXISTS (SELECT 1 FROM patient_keys WHERE data_key IS NOT NULL)")
    row = cur.fetchone()
    if not (row and row[0]):
        return 0
    cur.execute(f"SELECT {_ROW} FROM patient_keys WHERE data_key IS NOT NULL FOR UPDATE")
    rows = cur.fetchall()
    for row in rows:
        kek_id, wrapped = keks.wrap(bytes(row[2]), row[1])
        cur.execute(
            "UPDATE patient_keys SET data_key = NULL, kek_id = %s, wrapped_key = %s WHERE patient_id = %s",
            (kek_id, wrapped, row[0]),
        )
    return len(rows)
