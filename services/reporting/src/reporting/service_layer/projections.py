"""The consumer's batch handler: new referral, engagement and commissioner events → facts and
projections, and the materialised ledger's units they change, in the batch's transaction (the live
consumer and the rebuild run this same function; uploads run `apply` too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contracts import Envelope
from linkwell_runtime.consumer import Decoded
from reporting.adapters import projections
from reporting.service_layer import ledger_projection
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def apply_batch(uow: ReportingUnitOfWork, items: Sequence[Decoded]) -> None:
    apply(uow, [(item.envelope, item.payload) for item in items])


def apply(uow: ReportingUnitOfWork, events: Sequence[tuple[Envelope, Any]]) -> None:
    projections.apply_events(uow.cur, events)
    ledger_projection.refresh(uow.cur, uow.rulebooks, events)


def apply_batch_without_ledger(uow: ReportingUnitOfWork, items: Sequence[Decoded]) -> None:
    """The rebuild's batch handler: the facts and projections only; the rebuild recomputes the
    materialised ledger once at the end instead of unit by unit in every batch."""
    projections.apply_events(uow.cur, [(item.envelope, item.payload) for item in items])
