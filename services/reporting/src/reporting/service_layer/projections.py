"""The consumer's batch handler: new referral, engagement and commissioner events → facts and
projections, and the materialised ledger's units they change, in the batch's transaction (the live
consumer and the rebuild run this same function; uploads run `apply` too); and its record handler:
the patients' NHS-number pseudonyms from their compacted topic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contracts import Envelope
from contracts.patient_pseudonyms import decode_record
from linkwell_runtime.consumer import Decoded, Message
from reporting.adapters import projections
from reporting.service_layer import ledger_projection
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def apply_batch(uow: ReportingUnitOfWork, items: Sequence[Decoded]) -> None:
    apply(uow, [(item.envelope, item.payload) for item in items])


def apply(uow: ReportingUnitOfWork, events: Sequence[tuple[Envelope, Any]]) -> None:
    projections.apply_events(uow.cur, events)
    ledger_projection.refresh(uow.cur, uow.rulebooks, events)


def apply_pseudonym_records(uow: ReportingUnitOfWork, messages: Sequence[Message]) -> None:
    """Records of the referral service's pseudonym topic (compacted: a value, or a tombstone once the
    patient is erased) → the pseudonym -> patient mapping. A record that is not one (ContractError)
    makes the runtime dead-letter it."""
    projections.apply_pseudonyms(uow.cur, [decode_record(m.key, m.value) for m in messages])


def apply_batch_without_ledger(uow: ReportingUnitOfWork, items: Sequence[Decoded]) -> None:
    """The rebuild's batch handler: the facts and projections only; the rebuild recomputes the
    materialised ledger once at the end instead of unit by unit in every batch."""
    projections.apply_events(uow.cur, [(item.envelope, item.payload) for item in items])
