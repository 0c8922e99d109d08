"""The access audit every service that holds patient data writes (docs/security.md, docs/domain.md §7):
one `access_audit` row per read of identifiable data or clinical free text, per correction and per
erasure, in the same transaction as the answer it goes with, so an answer is never sent without its
row. Who (`sub`), in which role, what (`action` and the fields or texts shown), which patient (and
referral or case), when, and the request id (`X-Request-ID`) that ties it to the logs.

The table is each service's own (the same columns in each: see the services' `pending-security.sql`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from importlib import resources
from uuid import UUID

import psycopg2.extensions

from linkwell_runtime import db
from linkwell_runtime.auth import Principal
from linkwell_runtime.request_context import current_correlation_id

READ_IDENTIFIABLE = "read_identifiable"  # a referral's sealed fields opened
READ_CASE_TEXT = "read_case_text"  # a case shown with its free texts
CORRECT_IDENTIFIABLE = "correct_identifiable"
ERASE = "erase"
MIGRATION_LOCK = "linkwell.migrate"  # linkwell_runtime.migrations.LOCK_KEY


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


def apply_pending_security(dsn: str, schema_package: str) -> None:
    """Apply a service's `pending-security.sql` (the audit table and its columns, until the lead
    folds it into a versioned migration): idempotent, in one transaction, under the migrations' lock
    so an API, relay and consumer starting together take turns."""
    sql = resources.files(schema_package).joinpath("pending-security.sql").read_text()
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (MIGRATION_LOCK,))
            cur.execute(sql)
    finally:
        conn.close()
