"""The reporting domain: pure functions over bitemporal facts (no I/O, no clock reads)."""

from reporting.domain.calendar import Quarter, parse_period
from reporting.domain.claim import Claim, ClaimLine
from reporting.domain.claim_document import claim_document, claim_from_document, outcome_fields
from reporting.domain.claims import claim_window, close_claim
from reporting.domain.cohorts import cohorts
from reporting.domain.commissioner_data import ActivityRow, ActivityType, ComparisonCost
from reporting.domain.comparison_costs_csv import parse_comparison_costs
from reporting.domain.episode import Episode, episode_view, episodes_known_at
from reporting.domain.errors import (
    ClaimAlreadyClosed,
    ClaimConflict,
    ClaimOutOfOrder,
    CsvRejected,
    InvalidPeriod,
    NoRulebookInForce,
    PeriodNotEnded,
    ReportingError,
    RowError,
    RulebookInvalid,
)
from reporting.domain.facts import Fact
from reporting.domain.hospital_activity_csv import ActivityUpload, parse_hospital_activity
from reporting.domain.ledger import Ledger, filtered, payable
from reporting.domain.outcome import Outcome
from reporting.domain.outcome_s import s_outcomes
from reporting.domain.outcome_w import w_outcomes
from reporting.domain.rulebook import (
    Rulebook,
    covered,
    load_packaged_rulebooks,
    parse_rulebook,
    programme_start,
    rulebook_for,
)
from reporting.domain.shares import split_shares
from reporting.domain.uncovered import Uncovered, exception_fields

__all__ = [
    "ActivityRow",
    "ActivityType",
    "ActivityUpload",
    "Claim",
    "ClaimAlreadyClosed",
    "ClaimConflict",
    "ClaimLine",
    "ClaimOutOfOrder",
    "ComparisonCost",
    "CsvRejected",
    "Episode",
    "Fact",
    "InvalidPeriod",
    "Ledger",
    "NoRulebookInForce",
    "Outcome",
    "PeriodNotEnded",
    "Quarter",
    "ReportingError",
    "RowError",
    "Rulebook",
    "RulebookInvalid",
    "Uncovered",
    "claim_document",
    "claim_from_document",
    "claim_window",
    "close_claim",
    "cohorts",
    "covered",
    "episode_view",
    "episodes_known_at",
    "exception_fields",
    "filtered",
    "load_packaged_rulebooks",
    "outcome_fields",
    "parse_comparison_costs",
    "parse_hospital_activity",
    "parse_period",
    "parse_rulebook",
    "payable",
    "programme_start",
    "rulebook_for",
    "s_outcomes",
    "split_shares",
    "w_outcomes",
]
