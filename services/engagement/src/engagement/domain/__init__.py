"""The engagement domain: the link worker's case. Pure: no I/O, no clock ("now" is passed in)."""

from engagement.domain.access import Scope, can_view
from engagement.domain.action_plans import (
    STEP_TRANSITIONS,
    is_step_overdue,
    next_step_due_on,
    overdue_steps,
)
from engagement.domain.case import Case
from engagement.domain.case_state import CaseState, CaseStatus
from engagement.domain.consent import (
    CONSENT_TRANSITIONS,
    consent_history,
    consent_on,
    current_consent,
    service_refused_on,
    shares_outcomes_with_gp,
)
from engagement.domain.contact_commands import ATTEMPT_WINDOW_DAYS, ATTEMPTS_NEEDED, unable_to_contact_window
from engagement.domain.errors import (
    CaseClosed,
    ConcernClosed,
    ConsentRefused,
    DomainError,
    InvalidCommand,
    InvalidTransition,
    NotFound,
    ValidationFailed,
    ValidationProblem,
)
from engagement.domain.first_contact import (
    add_working_days,
    first_contact_due_on,
    first_contact_met,
    first_contact_on,
    first_contact_overdue,
    first_contact_pending,
    is_working_day,
)
from engagement.domain.first_contact import (
    due_on as first_contact_due,
)
from engagement.domain.goals import GOAL_TRANSITIONS, GoalRecord
from engagement.domain.linkages import LINKAGE_TRANSITIONS, LinkageRecord, ServiceStatus
from engagement.domain.occurred import occurred_at
from engagement.domain.records import StarRecord
from engagement.domain.safeguarding import highest_open_risk, open_concerns
from engagement.domain.scores import score_problems, validate_scores
from engagement.domain.stars import (
    EffectiveStar,
    baseline,
    is_review_overdue,
    review_due_on,
    star_history,
)
from engagement.domain.time_limit import covered_until, extended_until, is_covered, is_past_limit, limit_date

__all__ = [
    "ATTEMPTS_NEEDED",
    "ATTEMPT_WINDOW_DAYS",
    "CONSENT_TRANSITIONS",
    "GOAL_TRANSITIONS",
    "LINKAGE_TRANSITIONS",
    "STEP_TRANSITIONS",
    "Case",
    "CaseClosed",
    "CaseState",
    "CaseStatus",
    "ConcernClosed",
    "ConsentRefused",
    "DomainError",
    "EffectiveStar",
    "GoalRecord",
    "InvalidCommand",
    "InvalidTransition",
    "LinkageRecord",
    "NotFound",
    "Scope",
    "ServiceStatus",
    "StarRecord",
    "ValidationFailed",
    "ValidationProblem",
    "add_working_days",
    "baseline",
    "can_view",
    "consent_history",
    "consent_on",
    "covered_until",
    "current_consent",
    "extended_until",
    "first_contact_due",
    "first_contact_due_on",
    "first_contact_met",
    "first_contact_on",
    "first_contact_overdue",
    "first_contact_pending",
    "highest_open_risk",
    "is_covered",
    "is_past_limit",
    "is_review_overdue",
    "is_step_overdue",
    "is_working_day",
    "limit_date",
    "next_step_due_on",
    "occurred_at",
    "open_concerns",
    "overdue_steps",
    "review_due_on",
    "score_problems",
    "service_refused_on",
    "shares_outcomes_with_gp",
    "star_history",
    "unable_to_contact_window",
    "validate_scores",
]
