"""A referral's answers as its referring practice sees them: `accepted` for eligible and allocated until
first contact, and nothing that tells the two apart (domain/practice_view.py, docs/security.md §3.1).
Applied after the role's other narrowing (`views.shown`), to every answer a referrer gets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from contracts.referral import ReferralStatus
from referral.adapters.first_steps import FirstSteps, first_steps
from referral.domain.practice_view import hides_allocation, needs_first_steps, practice_status

_ALLOCATION = {"provider_id": None, "link_worker_id": None}


def histories_needed(cur: Cursor, rows: Sequence[dict[str, Any]]) -> dict[UUID, FirstSteps]:
    """The assessment and first-contact dates these rows' practice views need, in one read: the
    rows' own where their status needs them, and their earlier episodes that were declined."""
    ids = [r["referral_id"] for r in rows if needs_first_steps(r["status"])]
    ids += [
        UUID(str(e["referral_id"]))
        for r in rows
        for e in r["earlier_episodes"] or []
        if e["status"] == ReferralStatus.DECLINED
    ]
    return first_steps(cur, ids)


def as_practice_sees(view: dict[str, Any], row: dict[str, Any], steps: dict[UUID, FirstSteps]) -> dict[str, Any]:
    """The view (`views.shown`) with its status and allocation as the practice may know them."""
    status = row["status"]
    own = steps.get(row["referral_id"], FirstSteps())
    first_contact = own.first_contact_on if status != ReferralStatus.DECLINED else _summary_contact(row)
    shown = dict(view)
    if hides_allocation(status, first_contact):
        shown |= _ALLOCATION
    if practice_status(status) != status:
        shown["status"] = practice_status(status)
        # an eligible referral's status date is its assessment; an allocated one's moved at allocation
        shown["status_since"] = row["status_since"] if status == ReferralStatus.ELIGIBLE else own.assessed_on
    shown["episode"] = _episode(view["episode"], steps)
    return shown


def summary_as_practice_sees(summary: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The discharge summary of an episode that ended in a decline before any first contact names no
    provider or link worker, and carries no summary from engagement: a referral declined while it
    waited has neither, so one declined after its allocation must not either."""
    if not hides_allocation(row["status"], summary.get("first_contact_on")):
        return summary
    return summary | _ALLOCATION | {"sent_to_practice": None}


def _episode(episode: dict[str, Any], steps: dict[UUID, FirstSteps]) -> dict[str, Any]:
    previous = episode.get("previous")
    if previous is None:
        return episode
    contact = steps.get(UUID(str(previous["referral_id"])), FirstSteps()).first_contact_on
    if not hides_allocation(previous["status"], contact):
        return episode
    return episode | {"previous": previous | {"link_worker_id": None}}


def _summary_contact(row: dict[str, Any]) -> Any:
    return (row["summary"] or {}).get("first_contact_on")
