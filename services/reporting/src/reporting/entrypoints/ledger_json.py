"""One page of the payable answer as JSON: the page's lines, the whole answer's totals, and the link
to the next page (GET /outcomes/payable)."""

from __future__ import annotations

from typing import Any

from reporting.domain import exception_fields, outcome_fields
from reporting.service_layer.ledger_pages import LedgerPage


def page_body(page: LedgerPage, next_link: str | None) -> dict[str, Any]:
    """The answer; `exceptions` (facts no rulebook covers) only when there are some."""
    totals = page.totals
    body: dict[str, Any] = {
        "as_of": page.as_of.isoformat(),
        "known_at": page.known_at.isoformat(),
        "lines": [outcome_fields(line) for line in page.lines],
        "totals": {
            "amount": totals.amount,
            "by_payer": totals.by_payer,
            "by_outcome": totals.by_outcome,
            "by_provider": totals.by_provider,
        },
        "page": {"offset": page.offset, "limit": page.limit, "total_lines": totals.lines, "next": next_link},
    }
    if page.exceptions:
        body["exceptions"] = [exception_fields(x) for x in page.exceptions]
    return body
