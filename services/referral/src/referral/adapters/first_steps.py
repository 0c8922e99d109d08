"""When referrals were assessed and first contacted, read from the event store: the read model keeps
only the latest status and its date, and a practice is shown the assessment date until first
contact (domain/practice_view.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from contracts import Envelope
from contracts.referral import ReferralAssessed, ReferralStatus, ReferralStatusChanged
from linkwell_runtime.repository import payloads


@dataclass(frozen=True)
class FirstSteps:
    assessed_on: date | None = None
    first_contact_on: date | None = None


def first_steps(cur: Cursor, referral_ids: Iterable[UUID]) -> dict[UUID, FirstSteps]:
    """Each referral's assessment and first contact dates (absent: not found or not reached), in one read."""
    ids = sorted({str(i) for i in referral_ids})
    if not ids:
        return {}
    cur.execute(
        "SELECT envelope FROM events WHERE aggregate_id = ANY(%s)"
        " AND event_type IN ('ReferralAssessed', 'ReferralStatusChanged') ORDER BY aggregate_id, aggregate_version",
        (ids,),
    )
    found: dict[UUID, FirstSteps] = {}
    for event in payloads([Envelope.model_validate(row[0]) for row in cur.fetchall()]):
        match event:
            case ReferralAssessed():
                found[event.referral_id] = replace(
                    found.get(event.referral_id, FirstSteps()), assessed_on=event.assessed_on
                )
            case ReferralStatusChanged(to_status=ReferralStatus.CONTACTED):
                steps = found.get(event.referral_id, FirstSteps())
                if steps.first_contact_on is None:
                    found[event.referral_id] = replace(steps, first_contact_on=event.on)
    return found
