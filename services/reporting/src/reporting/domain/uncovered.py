"""Facts no rulebook covers: a business date before the programme's start (the earliest rulebook's
`effective_from`). Such a date is refused where it is entered; one that got in anyway (entered before
the refusal existed, or by a service that does not check) must not take the ledger down. The outcome
rules skip it (a review no rulebook prices is not paid; a cohort no rulebook measures is not measured)
and the ledger lists it among its `exceptions`, so finance sees it and the source can be corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from reporting.domain.episode import Episode
from reporting.domain.rulebook import Rulebook, covered, programme_start

NO_RULEBOOK = "no_rulebook_in_force"


@dataclass(frozen=True)
class Uncovered:
    """One fact the ledger met that no rulebook covers (today: a standing Well-being Star)."""

    fact_id: str  # the event that recorded it
    case_id: str
    patient_id: UUID | None
    provider_id: UUID | None  # who held the case on that date (for scoping, like a line)
    field: str  # the payload field holding the date
    on: date
    reason: str
    kind: str = NO_RULEBOOK


def uncovered_stars(episode: Episode, rulebooks: Sequence[Rulebook], as_of: date) -> list[Uncovered]:
    """The episode's standing Stars (as folded: voids and corrections known applied) taken on or
    before `as_of` and before every rulebook."""
    if episode.withdrawn:
        return []  # a withdrawn referral's Stars are priced nowhere, so they are no exception either
    start = programme_start(rulebooks)
    found: list[Uncovered] = []
    for star in episode.stars:
        if star.taken_on > as_of or covered(star.taken_on, rulebooks):
            continue
        holder = episode.holder_on(star.taken_on)
        found.append(
            Uncovered(
                fact_id=star.evidence[0],
                case_id=episode.case_id,
                patient_id=episode.patient_id,
                provider_id=holder.provider_id if holder else star.provider_id,
                field="taken_on",
                on=star.taken_on,
                reason=f"no rulebook is in force on {star.taken_on.isoformat()}"
                + (f" (the programme starts on {start.isoformat()})" if start else ""),
            )
        )
    return found


def exception_order(item: Uncovered) -> tuple[date, str, str]:
    return (item.on, item.case_id, item.fact_id)


def exception_fields(item: Uncovered) -> dict[str, object]:
    """The JSON of one exception (ids as strings, dates ISO)."""
    return {
        "kind": item.kind,
        "fact_id": item.fact_id,
        "case_id": item.case_id,
        "patient_id": str(item.patient_id) if item.patient_id else None,
        "provider_id": str(item.provider_id) if item.provider_id else None,
        "field": item.field,
        "on": item.on.isoformat(),
        "reason": item.reason,
    }
