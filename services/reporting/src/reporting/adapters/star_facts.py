"""Reading the Star facts as known at a moment, for the distribution of Star change.

From the bitemporal `facts` table, not from `stars`: `stars` holds each Star as it stands now
(corrections overwrite its scores, a void sets a flag, and neither keeps when it was recorded), so it
cannot say what was known at an earlier moment. Only the fields the distribution needs are selected
(schema version 1 of each type, the only one), which spares building a model per fact.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.domain.star_change import FactKind, StarFact

KINDS: dict[str, FactKind] = {
    "WellbeingStarRecorded": "recorded",
    "WellbeingStarCorrected": "corrected",
    "WellbeingStarVoided": "voided",
    "CaseOpened": "held",
    "CaseReassigned": "held",
}


def star_facts(cur: Any, known_at: datetime, provider_id: UUID | None) -> list[StarFact]:
    """Facts recorded by `known_at`, each case's in recorded (then arrival) order; with `provider_id`,
    only the cases whose facts name that provider (the caller still checks who held each case)."""
    cur.execute(
        "SELECT case_id, event_type, payload->>'star_id',"
        " COALESCE(payload->>'taken_on', payload->>'allocated_on', payload->>'reassigned_on'),"
        " payload->'scores', payload->>'provider_id'"
        " FROM facts WHERE event_type = ANY(%(types)s) AND recorded_at <= %(known_at)s"
        " AND (%(provider)s::text IS NULL OR case_id IN (SELECT case_id FROM facts"
        "  WHERE event_type = ANY(%(types)s) AND payload->>'provider_id' = %(provider)s::text))"
        " ORDER BY case_id, recorded_at, seq",
        {"types": list(KINDS), "known_at": known_at, "provider": str(provider_id) if provider_id else None},
    )
    return [
        StarFact(KINDS[kind], case_id, star_id, date.fromisoformat(day) if day else None, scores, provider)
        for case_id, kind, star_id, day, scores, provider in cur.fetchall()
    ]
