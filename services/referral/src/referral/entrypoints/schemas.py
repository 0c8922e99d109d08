"""Request and response models of the HTTP API (ARCHITECTURE §5)."""
from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.referral import DeclineReason


class ReferrerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    role: str = Field(description="gp | practice_nurse | healthcare_assistant")


class ReferralCreate(BaseModel):
    """A referral as a GP, practice nurse or healthcare assistant sends it."""

    model_config = ConfigDict(extra="forbid")
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str = Field(description="female | male | other | unknown")
    postcode: str
    phone: str
    email: str | None = None
    practice_ods_code: str
    referrer: ReferrerIn
    conditions: list[str] = Field(default_factory=list, max_length=20)
    mental_health: list[str] = Field(default_factory=list, max_length=10)
    reason: str | None = None
    referred_on: date | None = None


class Eligibility(BaseModel):
    eligible: bool | None
    reasons: list[dict]


class ReferralCreated(BaseModel):
    referral_id: UUID
    patient_id: UUID
    status: str
    eligibility: Eligibility
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: DeclineReason
    note: str | None = None
    declined_on: date | None = None


class PracticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ods_code: str = Field(pattern=r"^[A-Z0-9]{3,12}$")
    name: str = Field(min_length=1, max_length=200)
    participating: bool = True
    provider_id: UUID | None = None


class PracticeChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    participating: bool | None = None
    provider_id: UUID | None = None


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)


class LinkWorkerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_id: UUID
    display_name: str = Field(min_length=1, max_length=200)
    capacity: int = Field(ge=0, le=500)
    active: bool = True


class LinkWorkerChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    capacity: int | None = Field(default=None, ge=0, le=500)
    active: bool | None = None
