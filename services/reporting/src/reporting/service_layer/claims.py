"""Closing a month's claim: frozen once, stored as canonical bytes, announced through the outbox.

A claim closes only when reporting has applied everything already on its source topics (the
consumer's positions equal the partitions' ends in Kafka), and it keeps those positions: asking the
ledger at the claim's closing moment then gives the claim's lines (issue 13, item 4). Events still in
a source service's outbox are not on Kafka yet and cannot be seen here; they reach the ledger as
recorded before the closing moment, as any late news does, and the next claim adjusts for them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from kafka.errors import KafkaError

from linkwell_runtime.positions import PartitionPosition
from linkwell_runtime.refusals import NotFound
from reporting.adapters import fact_store, locks, source_positions
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


class ReportingBehind(Exception):
    """Events already published to reporting's topics are not applied yet: a claim closed now could
    miss them (409, with how far behind each partition is)."""

    def __init__(self, positions: Sequence[PartitionPosition]) -> None:
        self.behind = [p for p in positions if p.behind]
        where = ", ".join(f"{p.topic} partition {p.partition}: {p.behind}" for p in self.behind)
        super().__init__(
            f"reporting has not yet applied {sum(p.behind for p in self.behind)} event(s) already published"
            f" ({where}); a claim closed now could miss them. Try again when it has caught up."
        )


class SourcesUnavailable(Exception):
    """Kafka does not answer, so whether reporting is up to date cannot be known (503)."""


def close(uow: ReportingUnitOfWork, period: str) -> bytes:
    """Close `period` now; return the stored document. Raises the domain's ClaimConflict errors, and
    ReportingBehind while the consumer has not applied everything already on its topics."""
    parse_period(period)
    locks.claims_one_at_a_time(uow.cur)
    at_close = _caught_up(uow)
    claim, document = _claim_now(uow, period)
    [envelope] = uow.events.append(period, 0, [claim_closed(claim, document)], uow.stamp())
    fact_store.store_claim(uow.cur, period, uow.now, document, hashlib.sha256(document).hexdigest(), envelope.event_id)
    source_positions.store(uow.cur, period, at_close)
    return document


def preview(uow: ReportingUnitOfWork, period: str) -> bytes:
    """The document `close` would store for `period` at this moment, built by the same code, stored
    nowhere and announced to nobody; the same refusals (closed, not ended, out of order, behind)."""
    parse_period(period)
    _caught_up(uow)
    return _claim_now(uow, period)[1]


def _caught_up(uow: ReportingUnitOfWork) -> list[PartitionPosition]:
    try:
        positions = source_positions.now(uow.cur, uow.settings)
    except KafkaError as exc:
        raise SourcesUnavailable(f"Kafka does not answer ({type(exc).__name__}): try again shortly") from exc
    if any(p.behind for p in positions):
        raise ReportingBehind(positions)
    return positions


def _claim_now(uow: ReportingUnitOfWork, period: str) -> tuple[Claim, bytes]:
    if fact_store.claim_document(uow.cur, period) is not None:
        raise ClaimAlreadyClosed(f"{period} has already been claimed")
    previous = [claim_from_document(doc) for doc in fact_store.claim_documents(uow.cur)]
    as_of, known_at = claim_window(period, uow.now)
    claim = close_claim(period, uow.now, previous, ledger_at(uow.cur, uow.rulebooks, as_of=as_of, known_at=known_at))
    return claim, claim_document(claim)


def closed(uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """Every closed claim's summary, newest month first, with the source positions it was built on."""
    positions = source_positions.of_claims(uow.cur)
    return [
        summary | {"source_positions": positions.get(summary["period"], [])}
        for summary in fact_store.claim_summaries(uow.cur)
    ]


def document(uow: ReportingUnitOfWork, period: str) -> bytes:
    """The claim exactly as closed: the stored bytes."""
    stored = fact_store.claim_document(uow.cur, period)
    if stored is None:
        raise ClaimNotFound()
    return stored
