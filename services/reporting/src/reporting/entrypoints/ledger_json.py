"""The payable ledger as JSON, rendered once per cached answer (the fast path of GET /outcomes/payable)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Response

from reporting.domain import Ledger, exception_fields, filtered, outcome_fields
from reporting.service_layer.ledger_cache import LedgerCache


def ledger_body(ledger: Ledger) -> dict[str, Any]:
    """The answer; `exceptions` (facts no rulebook covers) only when there are some."""
    body = {
        "as_of": ledger.as_of.isoformat(),
        "known_at": ledger.known_at.isoformat(),
        "lines": [outcome_fields(line) for line in ledger.lines],
        "totals": {
            "amount": ledger.total,
            "by_payer": ledger.totals_by_payer,
            "by_provider": ledger.totals_by_provider,
        },
    }
    if ledger.exceptions:
        body["exceptions"] = [exception_fields(x) for x in ledger.exceptions]
    return body


def ledger_json(cache: LedgerCache | None, ledger: Ledger, payer: str | None, provider_id: str | None) -> Response:
    """The JSON ledger, byte for byte what `JSONResponse(ledger_body(filtered(ledger, ...)))` renders.
    The lines, totals and exceptions part depends only on the lines and exceptions (and the filter),
    which a cache entry holds together, so it is rendered once per cached lines object; only `as_of` and `known_at` are rendered per request."""
    view = (payer, provider_id)
    tail = cache.rendered(ledger.lines, view) if cache is not None else None
    if tail is None:
        body = ledger_body(filtered(ledger, payer=payer, provider_id=provider_id))
        tail = b',"lines":' + _json_bytes(body["lines"]) + b',"totals":' + _json_bytes(body["totals"])
        if "exceptions" in body:
            tail += b',"exceptions":' + _json_bytes(body["exceptions"])
        tail += b"}"
        if cache is not None:
            cache.remember_rendered(ledger.lines, view, tail)
    head = (
        b'{"as_of":'
        + _json_bytes(ledger.as_of.isoformat())
        + b',"known_at":'
        + _json_bytes(ledger.known_at.isoformat())
    )
    return Response(head + tail, media_type="application/json")


def _json_bytes(value: Any) -> bytes:
    """What JSONResponse renders (starlette's settings)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode("utf-8")
