"""What a provider manager may see of a line's evidence (docs/security.md §3.4). A cohort (S) line
is measured over every member of the cohort, whichever provider holds them, so its evidence lists
every member's hospital activity in the quarter; a manager sees the rows of their own provider's
members and only how many rows of other providers' patients the line also counts. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from reporting.domain.projection import MemberVersion

PATIENT_ROW = "hospital_activity_row"


def own_members(versions: Iterable[MemberVersion], provider_id: UUID, known_at: datetime) -> set[UUID]:
    """The patients of the cohort that `provider_id` held at their baseline, as known at `known_at`."""
    return {
        v.member.patient_id
        for v in versions
        if v.valid_from <= known_at
        and (v.valid_to is None or known_at < v.valid_to)
        and v.member.provider_id == provider_id
    }


def withhold_other_patients(items: Sequence[dict[str, Any]], own: set[UUID]) -> tuple[list[dict[str, Any]], int]:
    """The items a manager sees (every patient row of theirs, every other item) and how many patient
    rows were left out."""
    shown = [i for i in items if i["kind"] != PATIENT_ROW or UUID(i["payload"]["patient_id"]) in own]
    return shown, len(items) - len(shown)
