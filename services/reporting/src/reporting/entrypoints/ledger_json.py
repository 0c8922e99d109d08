"""One page of the payable answer as JSON: the page's lines, the whole answer's totals, and the link
to the next page (GET /outcomes/payable). `page_json` sends a page whose lines the database rendered;
`page_body` is the same answer built from outcomes (the recompute's: what the tests hold it to)."""

from __future__ import annotations

import json
from typing import Any

from reporting.domain import exception_fields, outcome_fields
from reporting.service_layer.ledger_pages import AnswerTotals, LedgerPage, RenderedPage


def page_json(page: RenderedPage, next_link: str | None) -> bytes:
    """`page_body`'s answer, its lines and exceptions spliced in as the JSON text they already are."""
    parts = [
        f'{{"as_of":{json.dumps(page.as_of.isoformat())},"known_at":{json.dumps(page.known_at.isoformat())}',
        f',"lines":{page.lines_json}',
        f',"totals":{json.dumps(_totals(page.totals), separators=(",", ":"))}',
        ',"page":' + json.dumps(_page(page.offset, page.limit, page.totals, next_link), separators=(",", ":")),
        "" if page.exceptions_json == "[]" else f',"exceptions":{page.exceptions_json}',
        "}",
    ]
    return "".join(parts).encode()


def page_body(page: LedgerPage, next_link: str | None) -> dict[str, Any]:
    """The answer; `exceptions` (facts no rulebook covers) only when there are some."""
    body: dict[str, Any] = {
        "as_of": page.as_of.isoformat(),
        "known_at": page.known_at.isoformat(),
        "lines": [outcome_fields(line) for line in page.lines],
        "totals": _totals(page.totals),
        "page": _page(page.offset, page.limit, page.totals, next_link),
    }
    if page.exceptions:
        body["exceptions"] = [exception_fields(x) for x in page.exceptions]
    return body


def _totals(totals: AnswerTotals) -> dict[str, Any]:
    return {
        "amount": totals.amount,
        "by_payer": totals.by_payer,
        "by_outcome": totals.by_outcome,
        "by_provider": totals.by_provider,
    }


def _page(offset: int, limit: int, totals: AnswerTotals, next_link: str | None) -> dict[str, Any]:
    return {"offset": offset, "limit": limit, "total_lines": totals.lines, "next": next_link}
