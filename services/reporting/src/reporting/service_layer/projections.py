"""The consumer's batch handler: new referral, engagement and commissioner events → facts and
projections (the live consumer and the rebuild run this same function)."""

from __future__ import annotations

from collections.abc import Sequence

from linkwell_runtime.consumer import Decoded
from linkwell_runtime.unit_of_work import UnitOfWork
from reporting.adapters import projections


def apply_batch(uow: UnitOfWork, items: Sequence[Decoded]) -> None:
    projections.apply_events(uow.cur, [(item.envelope, item.payload) for item in items])
