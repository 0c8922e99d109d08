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
    target_date: date | None = None


class GoalReplacement(_Body):
    description: str
    star_areas: list[str]
    target_date: date | None = None


class GoalPatch(_Body):
    status: str
    note: str | None = None
    replacement: GoalReplacement | None = Field(
        default=None, description="with status `revised`: the goal that replaces it, agreed in the same step")


class StarCreate(_Body):
    taken_on: date
    scores: dict[str, Any]


class StarCorrection(_Body):
    scores: dict[str, Any]
    reason: str


class StarVoid(_Body):
    reason: str


class LinkageCreate(_Body):
    service_id: UUID
    category: str


class LinkagePatch(_Body):
    status: str


class ExtensionCreate(_Body):
    reason: str
    review_on: date


class DischargeCreate(_Body):
    discharged_on: date
    reason: str


class ReassignmentCreate(_Body):
    link_worker_id: UUID
