"""Outcome S: secondary-care cost reduction per quarterly cohort (docs/domain.md §6).

Each cohort c is measured in the `s_measure_quarters` quarters Q beginning
`s_first_measure_offset_months`, +3, +6, ... months after c begins (the rulebook in force on c's
first day sets these windows). For (c, Q): cost = sum of `cost_pence` of the cohort's patients'
activity rows dated in Q; comparison = per-head cost for Q × cohort size; payable =
max(0, comparison − cost) × `s_share_percent` // 100 (floor), priced by the rulebook in force on
Q's last day (the achieved date), once Q has ended by `as_of` and, as known at T, by T (midnight
Europe/London after its last day), and its comparison cost is known by T.
Nothing payable (0) → no line. Attribution: the amount is split across the providers of the
cohort's patients in proportion to their head count (largest remainder, ties by provider id),
one line per provider; link worker None (a cohort outcome is nobody's single case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from uuid import UUID

from contracts.calendar import SERVICE_TIMEZONE
from reporting.domain.calendar import Quarter
from reporting.domain.cohorts import CohortMember
from reporting.domain.commissioner_data import ActivityRow, ComparisonCost
from reporting.domain.outcome import Outcome, s_outcome_id, unique
from reporting.domain.rulebook import Rulebook, covered, rulebook_for
from reporting.domain.shares import split_shares


def measured_quarters(cohort: Quarter, rulebooks: Sequence[Rulebook]) -> list[Quarter]:
    rulebook = rulebook_for(cohort.first_day, rulebooks)
    first = rulebook.s_first_measure_offset_months
    return [cohort.plus_months(first + 3 * k) for k in range(rulebook.s_measure_quarters)]


def quarter_ended_at(quarter: Quarter) -> datetime:
    """The instant a quarter is over: midnight, Europe/London, at the start of the next quarter."""
    midnight = datetime.combine(quarter.plus_months(3).first_day, datetime.min.time(), tzinfo=SERVICE_TIMEZONE)
    return midnight.astimezone(UTC)


def s_outcomes(
    cohorts: Mapping[Quarter, Mapping[UUID, CohortMember]],
    activity: Iterable[ActivityRow],
    comparison_costs: Mapping[Quarter, ComparisonCost],
    rulebooks: Sequence[Rulebook],
    as_of: date,
    known_at: datetime | None = None,
) -> list[Outcome]:
    """Lines of every cohort-quarter that has ended by `as_of` and, when `known_at` is given, by
    `known_at` (a quarter's saving is not known before the quarter is over), and whose comparison
    cost is known. A cohort whose first day no rulebook covers is not measured (its baseline Stars
    are among the ledger's exceptions)."""
    by_patient: dict[UUID, list[ActivityRow]] = {}  # each cohort-quarter reads only its members' rows
    for row in activity:
        by_patient.setdefault(row.patient_id, []).append(row)
    outcomes: list[Outcome] = []
    for cohort, members in cohorts.items():
        if not covered(cohort.first_day, rulebooks):
            continue
        for quarter in measured_quarters(cohort, rulebooks):
            comparison = comparison_costs.get(quarter)
            ended = known_at is None or known_at >= quarter_ended_at(quarter)
            if quarter.last_day <= as_of and ended and comparison is not None:
                outcomes += _cohort_quarter(cohort, quarter, members, by_patient, comparison, rulebooks)
    return outcomes


def _cohort_quarter(
    cohort: Quarter,
    quarter: Quarter,
    members: Mapping[UUID, CohortMember],
    by_patient: Mapping[UUID, list[ActivityRow]],
    comparison: ComparisonCost,
    rulebooks: Sequence[Rulebook],
) -> list[Outcome]:
    rulebook = rulebook_for(quarter.last_day, rulebooks)
    in_q = [r for patient_id in members for r in by_patient.get(patient_id, ()) if r.activity_date in quarter]
    saving = comparison.per_head_cost_pence * len(members) - sum(r.cost_pence for r in in_q)
    payable = max(0, saving) * rulebook.s_share_percent // 100
    if payable == 0:
        return []
    heads: dict[UUID | None, int] = {}
    for member in sorted(members.values(), key=lambda m: str(m.provider_id)):
        heads[member.provider_id] = heads.get(member.provider_id, 0) + 1
    by_provider = split_shares(payable, list(heads.items()))
    rows_evidence = [str(r.row_id) for r in sorted(in_q, key=lambda r: (r.recorded_at, str(r.row_id)))]
    return [
        _line(
            cohort,
            quarter,
            provider_id,
            amount,
            rulebook,
            [
                str(comparison.row_id),
                *(i for m in _of_provider(members, provider_id) for i in m.baseline_evidence[:1]),
                *rows_evidence,
            ],
        )
        for provider_id, amount in by_provider.items()
        if amount > 0
    ]


def _of_provider(members: Mapping[UUID, CohortMember], provider_id: UUID | None) -> list[CohortMember]:
    return sorted((m for m in members.values() if m.provider_id == provider_id), key=lambda m: str(m.patient_id))


def _line(
    cohort: Quarter,
    quarter: Quarter,
    provider_id: UUID | None,
    amount: int,
    rulebook: Rulebook,
    evidence: Iterable[str],
) -> Outcome:
    return Outcome(
        outcome_id=s_outcome_id(str(cohort), str(quarter), provider_id),
        outcome_type="S",
        achieved_on=quarter.last_day,
        amount=amount,
        payer_shares=tuple(split_shares(amount, rulebook.shares).items()),
        provider_id=provider_id,
        link_worker_id=None,
        evidence=unique(evidence),
        rulebook=rulebook.label,
        cohort=str(cohort),
        measured_quarter=str(quarter),
    )
