"""The referral domain: intake, eligibility, allocation and the lifecycle. Pure: no I/O, no clock."""

from referral.domain.age import age_on
from referral.domain.allocation import Allocation, LinkWorkerLoad, choose_link_worker
from referral.domain.case_milestones import CaseEventType, CaseMilestone
from referral.domain.discharge_summary import DischargeSummary, discharge_summary, summary_of
from referral.domain.eligibility import EligibilityDecision, EligibilityFacts, assess_eligibility
from referral.domain.errors import (
    DomainError,
    InvalidCommand,
    InvalidTransition,
    MalformedReferral,
    ValidationProblem,
)
from referral.domain.intake import accept_intake, intake_problems
from referral.domain.intake_dates import business_date_problems
from referral.domain.intake_forms import ReferralIntake, ValidReferral
from referral.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    HOLDS_A_PLACE,
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    can_transition,
    ensure_transition,
)
from referral.domain.referral import Referral
from referral.domain.rules import W2W_2015, EligibilityRules
from referral.domain.sealed_details import SealedPatientDetails, seal_patient_details

__all__ = [
    "ALLOWED_TRANSITIONS",
    "HOLDS_A_PLACE",
    "OPEN_STATUSES",
    "TERMINAL_STATUSES",
    "W2W_2015",
    "Allocation",
    "CaseEventType",
    "CaseMilestone",
    "DischargeSummary",
    "DomainError",
    "EligibilityDecision",
    "EligibilityFacts",
    "EligibilityRules",
    "InvalidCommand",
    "InvalidTransition",
    "LinkWorkerLoad",
    "MalformedReferral",
    "Referral",
    "ReferralIntake",
    "SealedPatientDetails",
    "ValidReferral",
    "ValidationProblem",
    "accept_intake",
    "age_on",
    "assess_eligibility",
    "business_date_problems",
    "can_transition",
    "choose_link_worker",
    "discharge_summary",
    "ensure_transition",
    "intake_problems",
    "seal_patient_details",
    "summary_of",
]
