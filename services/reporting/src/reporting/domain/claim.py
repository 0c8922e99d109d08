"""A monthly claim and its lines: what `close_claim` makes, `claim_document` writes and
`claimed_state` adds up (a module of its own, so those three need not import each other)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from reporting.domain.outcome import Outcome
from reporting.domain.totals import PaidLines

ADJUSTMENT_KINDS = ("late_outcome", "clawback", "amount_change", "reattributed")


@dataclass(frozen=True)
class ClaimLine:
    kind: str  # "outcome" or one of ADJUSTMENT_KINDS
    outcome: Outcome  # the outcome as known at closing (for a clawback: as last claimed)
    amount: int  # pence claimed by this line (negative for a clawback)
    payer_shares: tuple[tuple[str, int], ...]

    @property
    def provider_id(self) -> UUID | None:
        return self.outcome.provider_id


@dataclass(frozen=True)
class Claim(PaidLines):
    period: str
    closed_at: datetime
    lines: tuple[ClaimLine, ...]

    @property
    def outcomes(self) -> tuple[ClaimLine, ...]:
        return tuple(line for line in self.lines if line.kind == "outcome")

    @property
    def adjustments(self) -> tuple[ClaimLine, ...]:
        return tuple(line for line in self.lines if line.kind != "outcome")
