"""The discharge summaries engagement sent the referrer's practice (`DischargeSummaryIssued`), kept as
they came (pseudonymous, no free text). Not derived from this service's events: kept only here."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor
from psycopg2.extras import Json


def keep(
    cur: Cursor, referral_id: UUID, summary_id: UUID, practice: str, summary: dict[str, Any], at: datetime
) -> None:
    """Once per case (a summary's id derives from its case): a redelivered one changes nothing."""
    cur.execute(
        "INSERT INTO practice_discharge_summaries (referral_id, summary_id, practice_ods_code, summary, received_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (referral_id, summary_id, practice, Json(summary), at),
    )


def sent_to_practice(cur: Cursor, referral_id: UUID) -> dict[str, Any] | None:
    cur.execute("SELECT summary FROM practice_discharge_summaries WHERE referral_id = %s", (referral_id,))
    row = cur.fetchone()
    return dict(row[0]) if row else None
