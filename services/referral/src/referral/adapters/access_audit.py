"""The access audit (docs/domain.md §7): every opening of a patient's identifiable fields, and every erasure,
with who, in which role, which fields and when. Not derived from events: it is kept only here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from linkwell_runtime.auth import Principal


def record_access(
    cur: Cursor,
    who: Principal,
    action: str,
    patient_id: UUID,
    fields: Sequence[str],
    at: datetime,
    referral_id: UUID | None = None,
) -> None:
    """One audit row: `read_identifiable` (with the referral read), `correct_identifiable` (the
    fields corrected, issue 18) or `erase`."""
    cur.execute(
        "INSERT INTO access_audit (subject, role, action, patient_id, referral_id, fields, at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (who.sub, who.role.value, action, patient_id, referral_id, list(fields), at),
    )
