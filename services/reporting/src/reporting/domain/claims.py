"""Monthly claims (docs/domain.md §6): a closed claim is immutable; what is learnt later is an adjustment.

`close_claim` takes the ledger for (as_of = the month's last day, known_at = the closing moment).
Lines: outcomes achieved in the month not claimed before (`outcome`). Adjustments, against the net
of every earlier claim per outcome id: `late_outcome` (achieved before the month, never claimed or
fully clawed back), `clawback` (claimed, no longer payable: minus the net claimed), `amount_change`
(the difference, payer by payer), and a change of attribution as a `clawback` under the old
provider/link worker plus a `reattributed` line under the new one.
Months are closed in order, once each, and only after they have ended (Europe/London).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from contracts.calendar import local_date
from reporting.domain.calendar import parse_period
from reporting.domain.claim import ADJUSTMENT_KINDS, Claim, ClaimLine
from reporting.domain.claim_state import ClaimedOutcome, claimed_state
from reporting.domain.errors import ClaimAlreadyClosed, ClaimOutOfOrder, PeriodNotEnded
from reporting.domain.ledger import Ledger
from reporting.domain.outcome import Outcome

__all__ = ["ADJUSTMENT_KINDS", "Claim", "ClaimLine", "claim_window", "close_claim"]


def claim_window(period: str, closed_at: datetime) -> tuple[date, datetime]:
    """The (as_of, known_at) of the ledger a claim for `period` closed at `closed_at` is built from."""
    return parse_period(period)[1], closed_at


def close_claim(period: str, closed_at: datetime, previous_claims: Sequence[Claim], ledger: Ledger) -> Claim:
    first, last = parse_period(period)
    _check_can_close(period, last, closed_at, previous_claims)
    if (ledger.as_of, ledger.known_at) != (last, closed_at):
        raise ValueError("the ledger must be payable(as_of=last day of the period, known_at=closed_at)")
    claimed = claimed_state(previous_claims)
    lines = [
        line for outcome in ledger.lines for line in _lines_for(outcome, claimed.get(str(outcome.outcome_id)), first)
    ]
    current = ledger.by_id()
    lines += [_reverse(c) for oid, c in sorted(claimed.items()) if oid not in current and c.amount]
    return Claim(period, closed_at, tuple(lines))


def _check_can_close(period: str, last: date, closed_at: datetime, previous: Iterable[Claim]) -> None:
    periods = [claim.period for claim in previous]
    if period in periods:
        raise ClaimAlreadyClosed(f"{period} has already been claimed")
    if any(p > period for p in periods):
        raise ClaimOutOfOrder(f"a month after {period} has already been claimed")
    if local_date(closed_at) <= last:
        raise PeriodNotEnded(f"{period} has not ended at {closed_at.isoformat()}")


def _lines_for(outcome: Outcome, claimed: ClaimedOutcome | None, first: date) -> list[ClaimLine]:
    if claimed is None or (not claimed.amount and not any(p for _, p in claimed.payer_shares)):
        kind = "outcome" if outcome.achieved_on >= first else "late_outcome"
        return [ClaimLine(kind, outcome, outcome.amount, outcome.payer_shares)]
    if (claimed.outcome.provider_id, claimed.outcome.link_worker_id) != (outcome.provider_id, outcome.link_worker_id):
        return [_reverse(claimed), ClaimLine("reattributed", outcome, outcome.amount, outcome.payer_shares)]
    if dict(claimed.payer_shares) != dict(outcome.payer_shares):
        before = dict(claimed.payer_shares)
        delta = tuple((payer, pence - before.pop(payer, 0)) for payer, pence in outcome.payer_shares)
        delta += tuple((payer, -pence) for payer, pence in before.items())
        return [ClaimLine("amount_change", outcome, outcome.amount - claimed.amount, delta)]
    return []


def _reverse(claimed: ClaimedOutcome) -> ClaimLine:
    shares = tuple((payer, -pence) for payer, pence in claimed.payer_shares)
    return ClaimLine("clawback", claimed.outcome, -claimed.amount, shares)
