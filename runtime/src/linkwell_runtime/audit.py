"""The access audit every service that holds patient data writes (docs/security.md, docs/domain.md §7):
one `access_audit` row per read of identifiable data or clinical free text, per correction and per
erasure, in the same transaction as the answer it goes with, so an answer is never sent without its
row. Who (`sub`), in which role, what (`action` and the fields or texts shown), which patient (and
referral or case), when, and the request id (`X-Request-ID`) that ties it to the logs.

The table is each service's own, with the same columns in each (referral-0002, engagement-0002 revisions).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

import psycopg2.extensions

from linkwell_runtime.auth import Principal
from linkwell_runtime.request_context import current_correlation_id

READ_IDENTIFIABLE = "read_identifiable"  # a referral's sealed fields opened
READ_CASE_TEXT = "read_case_text"  # a case shown with its free texts
CORRECT_IDENTIFIABLE = "correct_identifiable"
ERASE = "erase"


def record_access(
    cur: psycopg2.extensions.cursor,
    who: Principal,
    action: str,
    patient_id: UUID,
    fields: Sequence[str],
    at: datetime,
    referral_id: UUID | None = None,
) -> None:
    """One audit row in the caller's transaction (`referral_id`: the referral, or the case, whose id
    is the referral's)."""
    cur.execute(
        "INSERT INTO access_audit (subject, role, action, patient_id, referral_id, fields, at, request_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (who.sub, who.role.value, action, patient_id, referral_id, list(fields), at, current_correlation_id()),
    )
