"""The bitemporal question: what was payable for everything that happened by D, as known at T.

Every input (case facts, activity rows, comparison costs) is cut at `recorded_at <= known_at`;
outcomes are kept when achieved on or before `as_of`. A correction or void recorded after T does
not change the answer for T and does change it for a later T.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reporting.domain.cohorts import cohorts
from reporting.domain.commissioner_data import (
    ActivityRow,
    ComparisonCost,
    activity_known_at,
    comparison_costs_known_at,
)
from reporting.domain.episode import episodes_known_at
from reporting.domain.facts import Fact
from reporting.domain.outcome import Outcome
from reporting.domain.outcome_s import s_outcomes
from reporting.domain.outcome_w import w_outcomes
from reporting.domain.rulebook import Rulebook
from reporting.domain.totals import PaidLines
from reporting.domain.uncovered import Uncovered, exception_order, uncovered_stars


@dataclass(frozen=True)
class Ledger(PaidLines):
    as_of: date
    known_at: datetime
    lines: tuple[Outcome, ...]  # sorted by achieved date, type, outcome id
    exceptions: tuple[Uncovered, ...] = ()  # facts no rulebook covers, by date, case, fact id

    def by_id(self) -> dict[str, Outcome]:
        return {str(line.outcome_id): line for line in self.lines}


def payable(
    facts: Iterable[Fact],
    activity: Iterable[ActivityRow],
    comparison_costs: Iterable[ComparisonCost],
    rulebooks: Sequence[Rulebook],
    *,
    as_of: date,
    known_at: datetime,
) -> Ledger:
    if known_at.tzinfo is None:
        raise ValueError("known_at must carry a UTC offset")
    episodes = episodes_known_at(facts, known_at)
    lines = [o for episode in episodes for o in w_outcomes(episode, rulebooks, as_of)]
    lines += s_outcomes(
        cohorts(episodes),
        activity_known_at(activity, known_at),
        comparison_costs_known_at(comparison_costs, known_at),
        rulebooks,
        as_of,
        known_at,
    )
    exceptions = [x for episode in episodes for x in uncovered_stars(episode, rulebooks, as_of)]
    return Ledger(as_of, known_at, tuple(sorted(lines, key=line_order)), tuple(sorted(exceptions, key=exception_order)))


def filtered(ledger: Ledger, *, payer: str | None = None, provider_id: str | None = None) -> Ledger:
    """The ledger narrowed to one provider, and/or to lines with a share for one payer (exceptions:
    narrowed to the provider only)."""
    lines = [
        line
        for line in ledger.lines
        if (provider_id is None or str(line.provider_id) == provider_id)
        and (payer is None or any(p == payer and pence for p, pence in line.payer_shares))
    ]
    exceptions = [x for x in ledger.exceptions if provider_id is None or str(x.provider_id) == provider_id]
    return Ledger(ledger.as_of, ledger.known_at, tuple(lines), tuple(exceptions))


def line_order(line: Outcome) -> tuple[date, str, str]:
    return (line.achieved_on, line.outcome_type, str(line.outcome_id))
