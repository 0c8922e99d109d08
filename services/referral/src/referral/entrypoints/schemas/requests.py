"""What the HTTP API accepts (docs/architecture.md §5): every write model forbids unknown keys."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from contracts.referral import CorrectionReason, DeclineReason, WithdrawalReason
from referral.domain import ReferralIntake
from referral.domain.entry_corrections import EntryCorrection


def _tidy_name(value: str) -> str:
    """Runs of whitespace become one space; a name of only whitespace is refused."""
    name = " ".join(value.split())
    if not name:
        raise ValueError("must not be blank")
    return name


ReferenceName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_tidy_name)]
Capacity = Annotated[StrictInt, Field(ge=0, le=500)]


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

    def to_intake(self) -> ReferralIntake:
        """The referral as the domain takes it in (it judges every field itself)."""
        return ReferralIntake(
            nhs_number=self.nhs_number,
            given_name=self.given_name,
            family_name=self.family_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            postcode=self.postcode,
            phone=self.phone,
            practice_ods_code=self.practice_ods_code,
            referrer_name=self.referrer.name,
            referrer_role=self.referrer.role,
            conditions=tuple(self.conditions),
            mental_health=tuple(self.mental_health),
            email=self.email,
            reason=self.reason,
            referred_on=self.referred_on,
        )


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: DeclineReason
    note: str | None = Field(default=None, max_length=2000)
    declined_on: date | None = None


class WithdrawalIn(BaseModel):
    """A referral made in error: why (a code) and when (default today)."""

    model_config = ConfigDict(extra="forbid")
    reason: WithdrawalReason
    withdrawn_on: date | None = None


class PatientDetailsIn(BaseModel):
    """Corrected details of the patient (at least one); each is checked as at intake."""

    model_config = ConfigDict(extra="forbid")
    reason: CorrectionReason
    given_name: str | None = Field(default=None, max_length=200)
    family_name: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=1000)
    postcode: str | None = Field(default=None, max_length=20)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=400)

    def values(self) -> dict[str, str | None]:
        return self.model_dump(exclude={"reason"})


class ReferrerCorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, description="gp | practice_nurse | healthcare_assistant")


class ReferralEntriesIn(BaseModel):
    """Corrected entries of the referral form (at least one; an empty list corrects to none), each
    checked as at intake (docs/domain.md §3.5)."""

    model_config = ConfigDict(extra="forbid")
    conditions: list[str] | None = Field(default=None, max_length=20)
    mental_health: list[str] | None = Field(default=None, max_length=10)
    referred_on: date | None = None
    referrer: ReferrerCorrectionIn | None = None
    reason: str | None = Field(default=None, max_length=2000)

    def to_correction(self) -> EntryCorrection:
        referrer = self.referrer or ReferrerCorrectionIn()
        return EntryCorrection(
            conditions=None if self.conditions is None else tuple(self.conditions),
            mental_health=None if self.mental_health is None else tuple(self.mental_health),
            referred_on=self.referred_on,
            referrer_name=referrer.name,
            referrer_role=referrer.role,
            reason=self.reason,
        )


class PracticeMoveIn(BaseModel):
    """The practice the patient is now registered with, and since when (default today)."""

    model_config = ConfigDict(extra="forbid")
    practice_ods_code: str = Field(pattern=r"^[A-Za-z0-9]{3,12}$")
    moved_on: date | None = None


class PracticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ods_code: str = Field(pattern=r"^[A-Z0-9]{3,12}$")
    name: ReferenceName
    participating: StrictBool = True
    provider_id: UUID | None = None


class PracticeChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: ReferenceName | None = None
    participating: StrictBool | None = None
    provider_id: UUID | None = None


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: ReferenceName


class LinkWorkerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider_id: UUID
    display_name: ReferenceName
    capacity: Capacity
    active: StrictBool = True


class LinkWorkerChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: ReferenceName | None = None
    capacity: Capacity | None = None
    active: StrictBool | None = None
