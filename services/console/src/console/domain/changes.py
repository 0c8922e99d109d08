"""What changed between two "as known at" moments: lines added, removed, changed in amount or attribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console.domain.payable import Line


@dataclass(frozen=True)
class Change:
    before: Line
    after: Line
    what: tuple[str, ...]  # "amount", "payer split", "provider", "link worker"

    @property
    def difference(self) -> int:
        return self.after.amount - self.before.amount


@dataclass(frozen=True)
class Changes:
    added: list[Line]
    removed: list[Line]
    changed: list[Change]

    @property
    def net(self) -> int:
        """What the later moment adds to the total (pence; negative when it takes away)."""
        return (
            sum(line.amount for line in self.added)
            - sum(line.amount for line in self.removed)
            + sum(change.difference for change in self.changed)
        )

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed)


def changes(before: Sequence[Line], after: Sequence[Line]) -> Changes:
    """Lines matched by outcome id (stable across moments): new ones, gone ones, and those that differ."""
    old = {line.outcome_id: line for line in before}
    new = {line.outcome_id: line for line in after}
    changed = []
    for outcome_id in old.keys() & new.keys():
        what = _differences(old[outcome_id], new[outcome_id])
        if what:
            changed.append(Change(old[outcome_id], new[outcome_id], what))
    return Changes(
        added=[line for line in after if line.outcome_id not in old],
        removed=[line for line in before if line.outcome_id not in new],
        changed=sorted(changed, key=lambda c: (c.after.achieved_on, c.after.outcome_id)),
    )


def _differences(before: Line, after: Line) -> tuple[str, ...]:
    found = []
    if before.amount != after.amount:
        found.append("amount")
    if dict(before.payer_shares) != dict(after.payer_shares):
        found.append("payer split")
    if before.provider_id != after.provider_id:
        found.append("provider")
    if before.link_worker_id != after.link_worker_id:
        found.append("link worker")
    return tuple(found)
