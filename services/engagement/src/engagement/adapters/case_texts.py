"""The free text of case work (goal wording, notes, reasons, safeguarding descriptions), sealed at rest.

It never travels on Kafka (the events carry ids, dates and codes); here it is kept beside the event it
goes with, sealed with AES-GCM (`contracts.pii`) under a data key of the case's own in
`case_text_keys`, and that key is stored only wrapped by the key-encryption key the process holds
(`linkwell_runtime.key_wrapping`, as referral does with identity): a database dump alone reads no
note. Erasure destroys the keys of the patient's cases and deletes their texts; a text for an erased
patient is not kept at all. Rows from before revision engagement-0005 (clear `body`) are sealed at
start-up (`seal_clear_texts`). `linkwell keys rotate engagement` re-wraps the case keys under a new KEK.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg2.extras import Json

from contracts.pii import EncryptedField, decrypt_field, encrypt_field, new_data_key
from linkwell_runtime.key_wrapping import KeyEncryptionKeys
from linkwell_runtime.wrapped_keys import WrappedKeyTable

_PURPOSE = "case_text:"  # + the text's kind: a sealed goal wording does not open as a note

# `linkwell keys status|rotate engagement`: the runtime's rotation over the case keys
_STORE = WrappedKeyTable("case_text_keys", "case_id")
to_rewrap, kek_counts, rewrap_batch, rewrap = _STORE.to_rewrap, _STORE.kek_counts, _STORE.rewrap_batch, _STORE.rewrap


def add_text(
    cur: Any,
    keks: KeyEncryptionKeys,
    *,
    case_id: UUID,
    subject_id: UUID,
    kind: str,
    event_id: UUID,
    body: str,
    recorded_at: datetime,
) -> None:
    """Seal and keep the text, unless the case's patient has been erased (then it is not stored)."""
    cur.execute(
        "SELECT 1 FROM erased_patients e JOIN cases c ON c.patient_id = e.patient_id WHERE c.case_id = %s",
        (case_id,),
    )
    if cur.fetchone() is not None:
        return
    key = _case_key(cur, keks, case_id)
    if key is None:
        return  # shredded: the patient was erased
    key_id, data_key = key
    sealed = encrypt_field(body.strip(), key_id=key_id, key=data_key, purpose=_PURPOSE + kind)
    cur.execute(
        "INSERT INTO case_texts (case_id, subject_id, kind, event_id, sealed, recorded_at)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (case_id, subject_id, kind, event_id, Json(sealed.model_dump(mode="json")), recorded_at),
    )


def texts(cur: Any, keks: KeyEncryptionKeys, case_id: UUID) -> list[dict[str, Any]]:
    """The case's texts in the order they were kept, opened."""
    cur.execute(
        "SELECT subject_id, kind, event_id, body, sealed, recorded_at FROM case_texts WHERE case_id = %s ORDER BY id",
        (case_id,),
    )
    rows = cur.fetchall()
    if not rows:
        return []
    key = _existing_key(cur, keks, case_id)
    opened = []
    for subject_id, kind, event_id, body, sealed, recorded_at in rows:
        if sealed is not None:
            if key is None:
                continue  # its key is gone (erased): nothing to show
            body = decrypt_field(EncryptedField.model_validate(sealed), key[1], _PURPOSE + kind)
        opened.append(
            {"subject_id": subject_id, "kind": kind, "event_id": event_id, "body": body, "recorded_at": recorded_at}
        )
    return opened


def erase_patient_texts(cur: Any, patient_id: UUID, erased_at: datetime) -> int:
    """The patient's right to erasure: remember them (no text is kept for them again), destroy the
    keys of their cases and delete their cases' texts; how many texts went."""
    cur.execute(
        "INSERT INTO erased_patients (patient_id, erased_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (patient_id, erased_at),
    )
    cur.execute(
        "UPDATE case_text_keys SET kek_id = NULL, wrapped_key = NULL, shredded_at = %s"
        " WHERE shredded_at IS NULL AND case_id IN (SELECT case_id FROM cases WHERE patient_id = %s)",
        (erased_at, patient_id),
    )
    cur.execute(
        "DELETE FROM case_texts WHERE case_id IN (SELECT case_id FROM cases WHERE patient_id = %s)", (patient_id,)
    )
    return int(cur.rowcount)


def seal_clear_texts(cur: Any, keks: KeyEncryptionKeys) -> int:
    """Seal the texts kept in clear before revision engagement-0005; how many were sealed."""
    cur.execute("SELECT id, case_id, kind, body FROM case_texts WHERE body IS NOT NULL ORDER BY id FOR UPDATE")
    rows = cur.fetchall()
    for row_id, case_id, kind, body in rows:
        key = _case_key(cur, keks, case_id)
        if key is None:
            cur.execute("DELETE FROM case_texts WHERE id = %s", (row_id,))
            continue
        sealed = encrypt_field(body, key_id=key[0], key=key[1], purpose=_PURPOSE + kind)
        cur.execute(
            "UPDATE case_texts SET sealed = %s, body = NULL WHERE id = %s",
            (Json(sealed.model_dump(mode="json")), row_id),
        )
    return len(rows)


def _case_key(cur: Any, keks: KeyEncryptionKeys, case_id: UUID) -> tuple[str, bytes] | None:
    """The case's data key, made on its first text; None once shredded."""
    key_id = f"ct-{case_id}"
    kek_id, wrapped = keks.wrap(new_data_key(), key_id)
    # DO UPDATE (a no-op change) rather than DO NOTHING: it returns the existing row too
    cur.execute(
        "INSERT INTO case_text_keys (case_id, key_id, kek_id, wrapped_key) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (case_id) DO UPDATE SET case_id = EXCLUDED.case_id"
        " RETURNING key_id, kek_id, wrapped_key",
        (case_id, key_id, kek_id, wrapped),
    )
    return _unwrapped(keks, cur.fetchone())


def _existing_key(cur: Any, keks: KeyEncryptionKeys, case_id: UUID) -> tuple[str, bytes] | None:
    cur.execute("SELECT key_id, kek_id, wrapped_key FROM case_text_keys WHERE case_id = %s", (case_id,))
    row = cur.fetchone()
    return None if row is None else _unwrapped(keks, row)


def _unwrapped(keks: KeyEncryptionKeys, row: tuple[Any, ...]) -> tuple[str, bytes] | None:
    key_id, kek_id, wrapped = row
    if wrapped is None:
        return None
    return key_id, keks.unwrap(kek_id, bytes(wrapped), key_id)
