"""What earlier claims add up to, per outcome id: the net amount and net pence per payer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reporting.domain.claim import Claim
from reporting.domain.outcome import Outcome


@dataclass(frozen=True)
class ClaimedOutcome:
    outcome: Outcome  # as on the latest line that claimed it (its attribution)
    amount: int
    payer_shares: tuple[tuple[str, int], ...]


def claimed_state(claims: Iterable[Claim]) -> dict[str, ClaimedOutcome]:
    state: dict[str, ClaimedOutcome] = {}
    for claim in sorted(claims, key=lambda c: c.period):
        for line in claim.lines:
            key = str(line.outcome.outcome_id)
            before = state.get(key)
            shares = dict(before.payer_shares) if before else {}
            for payer, pence in line.payer_shares:
                shares[payer] = shares.get(payer, 0) + pence
            outcome = line.outcome if line.kind != "clawback" or before is None else before.outcome
            amount = (before.amount if before else 0) + line.amount
            state[key] = ClaimedOutcome(outcome, amount, tuple(shares.items()))
    return state
