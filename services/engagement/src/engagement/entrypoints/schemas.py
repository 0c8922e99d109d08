"""Request bodies. Enumerations and scores are checked by the domain (every bad field listed, 422);
here only shapes and types."""
from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactCreate(_Body):
    occurred_at: AwareDatetime
    mode: str
    duration_minutes: int = Field(strict=True)
    venue: str | None = None
    attended: bool = Field(strict=True)


class ContactAttemptCreate(_Body):
    occurred_at: AwareDatetime
    note: str | None = None


class GoalCreate(_Body):
    description: str
    star_areas: list[str]
    target_date: date | None = Field(default=None, description="not before `agreed_on`")
    agreed_on: date | None = Field(
        default=None, description="the day the goal was agreed (default today, Europe/London); not in the future,"
                                  " not before the case's first attended contact")


class GoalReplacement(_Body):
    description: str
    star_areas: list[str]
    target_date: date | None = Field(default=None, description="not before the revision's `on`")


class GoalPatch(_Body):
    status: str
    note: str | None = None
    replacement: GoalReplacement | None = Field(
        default=None, description="with status `revised`: the goal that replaces it, agreed in the same step")
    on: date | None = Field(
        default=None, description="the day of the change (default today, Europe/London); not in the future, not"
                                  " before the goal's last change (also the replacement's agreed date)")


class StarCreate(_Body):
    taken_on: date
    scores: dict[str, Any]


class StarCorrection(_Body):
    scores: dict[str, Any]
    reason: str
    corrected_on: date | None = Field(
        default=None, description="the day the scores were corrected (default today, Europe/London); not in the"
                                  " future, not before the Star was taken or last corrected")


class StarVoid(_Body):
    reason: str
    voided_on: date | None = Field(
        default=None, description="the day the Star stopped counting (default today, Europe/London); not in the"
                                  " future, not before the Star was taken or last corrected")


class LinkageCreate(_Body):
    service_id: UUID
    category: str
    made_on: date | None = Field(
        default=None, description="the day the linkage was made (default today, Europe/London); not in the"
                                  " future, not before the case's first attended contact")


class LinkagePatch(_Body):
    status: str
    on: date | None = Field(
        default=None, description="the day of the change (default today, Europe/London); not in the future, not"
                                  " before the linkage's last change")


class ExtensionCreate(_Body):
    reason: str
    review_on: date = Field(description="after `extended_on`")
    extended_on: date | None = Field(
        default=None, description="the day the extension was decided (default today, Europe/London); not in the"
                                  " future, not before the case opened")


class DischargeCreate(_Body):
    discharged_on: date
    reason: str


class ReassignmentCreate(_Body):
    link_worker_id: UUID
