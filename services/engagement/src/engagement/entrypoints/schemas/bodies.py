"""Request bodies. Enumerations, scores and business dates (not in the future, not before the
programme's start, 2015-04-01) are checked by the domain (every bad field listed, 422); here only
shapes, types, instants (`Instant`: aware, UTC, 1900–2200) and the free-text cap."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from engagement.domain.inputs import MAX_TEXT
from linkwell_runtime.input_guards import Instant

FreeText = Annotated[str, Field(max_length=MAX_TEXT)]  # every note, reason and goal wording
Word = Annotated[str, Field(max_length=100)]  # enumeration values, checked by the domain


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactCreate(_Body):
    occurred_at: Instant
    mode: Word
    duration_minutes: int = Field(strict=True, description="0-600; an attended contact lasts at least 1 minute")
    venue: Word | None = None
    attended: bool = Field(strict=True)


class ContactAttemptCreate(_Body):
    occurred_at: Instant
    note: FreeText | None = None


class GoalCreate(_Body):
    description: FreeText
    star_areas: Annotated[list[Word], Field(max_length=8)]
    target_date: date | None = Field(default=None, description="not before `agreed_on`, at most two years after it")
    agreed_on: date | None = Field(
        default=None,
        description="the day the goal was agreed (default today, Europe/London); not in the future,"
        " not before the case's first attended contact",
    )


class GoalReplacement(_Body):
    description: FreeText
    star_areas: Annotated[list[Word], Field(max_length=8)]
    target_date: date | None = Field(default=None, description="not before the revision's `on`")


class GoalPatch(_Body):
    status: Word
    note: FreeText | None = None
    replacement: GoalReplacement | None = Field(
        default=None, description="with status `revised`: the goal that replaces it, agreed in the same step"
    )
    on: date | None = Field(
        default=None,
        description="the day of the change (default today, Europe/London); not in the future, not"
        " before the goal's last change (also the replacement's agreed date)",
    )


class StarCreate(_Body):
    taken_on: date
    scores: dict[str, Any]


class StarCorrection(_Body):
    scores: dict[str, Any]
    reason: FreeText
    corrected_on: date | None = Field(
        default=None,
        description="the day the scores were corrected (default today, Europe/London); not in the"
        " future, not before the Star was taken or last corrected",
    )


class StarVoid(_Body):
    reason: FreeText
    voided_on: date | None = Field(
        default=None,
        description="the day the Star stopped counting (default today, Europe/London); not in the"
        " future, not before the Star was taken or last corrected",
    )


class LinkageCreate(_Body):
    service_id: UUID
    category: Word
    made_on: date | None = Field(
        default=None,
        description="the day the linkage was made (default today, Europe/London); not in the"
        " future, not before the case's first attended contact",
    )


class LinkagePatch(_Body):
    status: Word
    on: date | None = Field(
        default=None,
        description="the day of the change (default today, Europe/London); not in the future, not"
        " before the linkage's last change",
    )


class ExtensionCreate(_Body):
    reason: FreeText
    review_on: date = Field(description="after `extended_on`, and at most a year after it")
    extended_on: date | None = Field(
        default=None,
        description="the day the extension was decided (default today, Europe/London); not in the"
        " future, not before the case opened",
    )


class DischargeCreate(_Body):
    discharged_on: date
    reason: FreeText


class ReassignmentCreate(_Body):
    link_worker_id: UUID
    reassigned_on: date | None = Field(
        default=None,
        description="the day the case moved (default today, Europe/London); not in the future, not"
        " before the case opened",
    )
