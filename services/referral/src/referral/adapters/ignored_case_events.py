"""Case events the referral could no longer take (stale milestones), kept with the reason instead of
being applied or dead-lettered. Not derived from events: it is kept only here."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from psycopg2.extensions import cursor as Cursor


def record_ignored(cur: Cursor, event_id: UUID, referral_id: UUID, event_type: str, reason: str, at: datetime) -> None:
    """Once per case event: a redelivered one is already recorded."""
    cur.execute(
        "INSERT INTO ignored_case_events (event_id, referral_id, event_type, reason, recorded_at)"
        " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
        (event_id, referral_id, event_type, reason, at),
    )
