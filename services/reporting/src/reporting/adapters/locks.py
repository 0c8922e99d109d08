"""Transaction-scoped advisory locks: writers that must not interleave take turns."""

from __future__ import annotations

from typing import Any

_CLAIMS_LOCK = 0x6C696E6B  # one claim closes at a time (months are closed in order)


def claims_one_at_a_time(cur: Any) -> None:
    """Until this transaction ends, no other claim closes."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_CLAIMS_LOCK,))


def activity_uploads_one_at_a_time(cur: Any) -> None:
    """Until this transaction ends, no other hospital activity upload counts or stores rows
    (so two uploads of the same rows cannot both find them new)."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('reporting.hospital-activity-upload'))")
