"""Closing a month's claim: frozen once, stored as canonical bytes, announced through the outbox."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from contracts.codec import encode
from linkwell_runtime import eventstore
from reporting.adapters import fact_store
from reporting.config import Settings
from reporting.domain import (
    ClaimAlreadyClosed, Rulebook, claim_document, claim_from_document, claim_window, close_claim, parse_period,
)
from reporting.domain.commissioner_events import claim_closed
from reporting.service_layer.ledger import ledger_at

_CLAIMS_LOCK = 0x6C696E6B  # one claim closes at a time (months are closed in order)


def close(cur, settings: Settings, rulebooks: Sequence[Rulebook], period: str, *, now: datetime) -> bytes:
    """Close `period` at `now`; return the stored document. Raises the domain's ClaimConflict errors."""
    parse_period(period)
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_CLAIMS_LOCK,))
    if fact_store.claim_document(cur, period) is not None:
        raise ClaimAlreadyClosed(f"{period} has already been claimed")
    previous = [claim_from_document(doc) for doc in fact_store.claim_documents(cur)]
    as_of, known_at = claim_window(period, now)
    ledger = ledger_at(cur, rulebooks, as_of=as_of, known_at=known_at)
    claim = close_claim(period, now, previous, ledger)
    document = claim_document(claim)
    envelope = encode(claim_closed(claim, document), aggregate_id=period, aggregate_version=1, occurred_at=now,
                      recorded_at=now, producer="reporting")
    eventstore.append(cur, [envelope], settings.reporting_topic)
    fact_store.store_claim(cur, period, now, document, hashlib.sha256(document).hexdigest(), envelope.event_id)
    return document
