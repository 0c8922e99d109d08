"""What `GET /caseload/attention` answers: codes and dates per open case, no free text."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel

from contracts.casework import StepStatus
from contracts.engagement import GoalStatus, LinkageCategory, LinkageStatus
from engagement.domain import CaseStatus


class Attempts(BaseModel):
    failed: int  # failed attempts and did-not-attends
    first_failed_on: date | None
    last_failed_on: date | None
    attended_contacts: int


class GoalDates(BaseModel):
    goal_id: UUID
    status: GoalStatus
    target_date: date | None
    is_open: bool


class OpenStep(BaseModel):
    step_id: UUID
    goal_id: UUID
    status: StepStatus
    due_on: date


class LinkageSince(BaseModel):
    linkage_id: UUID
    service_id: UUID
    service_name: str | None  # from the local copy of the directory
    category: LinkageCategory
    status: LinkageStatus
    since: date  # the day it was made or last changed status


class CaseAttention(BaseModel):
    case_id: UUID
    status: CaseStatus
    attempts: Attempts
    goals: list[GoalDates]
    steps: list[OpenStep]  # open steps only
    linkages: list[LinkageSince]


class UnableToContactRule(BaseModel):
    attempts_needed: int
    window_days: int


class CaseloadAttention(BaseModel):
    today: date  # the service's "today" (Europe/London), which the dates are judged against
    unable_to_contact_rule: UnableToContactRule
    items: list[CaseAttention]
