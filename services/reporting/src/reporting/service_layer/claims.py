"""Closing a month's claim: frozen once, stored as canonical bytes, announced through the outbox."""

from __future__ import annotations

import hashlib
from typing import Any

from linkwell_runtime.refusals import NotFound
from reporting.adapters import fact_store, locks
from reporting.domain import (
    Claim,
    ClaimAlreadyClosed,
    claim_document,
    claim_from_document,
    claim_window,
    close_claim,
    parse_period,
)
from reporting.domain.commissioner_events import claim_closed
from reporting.service_layer.ledger import ledger_at
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


class ClaimNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("no claim closed for that period")


def close(uow: ReportingUnitOfWork, period: str) -> bytes:
    """Close `period` now; return the stored document. Raises the domain's ClaimConflict errors."""
    parse_period(period)
    locks.claims_one_at_a_time(uow.cur)
    claim, document = _claim_now(uow, period)
    [envelope] = uow.events.append(period, 0, [claim_closed(claim, document)], uow.stamp())
    fact_store.store_claim(uow.cur, period, uow.now, document, hashlib.sha256(document).hexdigest(), envelope.event_id)
    return document


def preview(uow: ReportingUnitOfWork, period: str) -> bytes:
    """The document `close` would store for `period` at this moment, built by the same code, stored
    nowhere and announced to nobody; the same refusals (closed, not ended, out of order)."""
    parse_period(period)
    return _claim_now(uow, period)[1]


def _claim_now(uow: ReportingUnitOfWork, period: str) -> tuple[Claim, bytes]:
    if fact_store.claim_document(uow.cur, period) is not None:
        raise ClaimAlreadyClosed(f"{period} has already been claimed")
    previous = [claim_from_document(doc) for doc in fact_store.claim_documents(uow.cur)]
    as_of, known_at = claim_window(period, uow.now)
    claim = close_claim(period, uow.now, previous, ledger_at(uow.cur, uow.rulebooks, as_of=as_of, known_at=known_at))
    return claim, claim_document(claim)


def closed(uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """Every closed claim's summary, newest month first."""
    return fact_store.claim_summaries(uow.cur)


def document(uow: ReportingUnitOfWork, period: str) -> bytes:
    """The claim exactly as closed: the stored bytes."""
    stored = fact_store.claim_document(uow.cur, period)
    if stored is None:
        raise ClaimNotFound()
    return stored
