"""A claim as canonical JSON bytes: sorted keys, no spaces, UTF-8, instants in UTC.

Stored when the claim is closed and served as is, so `GET /claims/{period}` gives the same bytes at
any later time; `claim_document` is deterministic, so it can also be rebuilt to check them.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from reporting.domain.claim import Claim, ClaimLine
from reporting.domain.outcome import Outcome


def claim_document(claim: Claim) -> bytes:
    body = {
        "period": claim.period,
        "closed_at": claim.closed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "lines": [_line(line) for line in claim.outcomes],
        "adjustments": [_line(line) for line in claim.adjustments],
        "totals": {
            "amount": claim.total,
            "by_payer": claim.totals_by_payer,
            "by_provider": claim.totals_by_provider,
        },
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def outcome_fields(outcome: Outcome) -> dict[str, Any]:
    """An outcome as JSON-ready values (shared with the payable report)."""
    return {
        "outcome_id": str(outcome.outcome_id),
        "outcome_type": outcome.outcome_type,
        "patient_id": str(outcome.patient_id) if outcome.patient_id else None,
        "cohort": outcome.cohort,
        "measured_quarter": outcome.measured_quarter,
        "achieved_on": outcome.achieved_on.isoformat(),
        "amount": outcome.amount,
        "payer_shares": dict(outcome.payer_shares),
        "provider_id": str(outcome.provider_id) if outcome.provider_id else None,
        "link_worker_id": str(outcome.link_worker_id) if outcome.link_worker_id else None,
        "evidence": list(outcome.evidence),
        "rulebook": outcome.rulebook,
    }


def _line(line: ClaimLine) -> dict[str, Any]:
    return {
        **outcome_fields(line.outcome),
        "kind": line.kind,
        "amount": line.amount,
        "payer_shares": dict(line.payer_shares),
    }


def claim_from_document(document: bytes) -> Claim:
    """The claim a stored document describes (what later claims diff against; lossless for that).

    A line's `amount` and `payer_shares` are the line's own; the outcome's other fields are as
    claimed. The outcome's own amount is not in the document and is not needed to diff.
    """
    from datetime import date, datetime
    from uuid import UUID

    body = json.loads(document)

    def line(item: dict[str, Any]) -> ClaimLine:
        shares = tuple(item["payer_shares"].items())
        outcome = Outcome(
            outcome_id=UUID(item["outcome_id"]),
            outcome_type=item["outcome_type"],
            achieved_on=date.fromisoformat(item["achieved_on"]),
            amount=item["amount"],
            payer_shares=shares,
            provider_id=UUID(item["provider_id"]) if item["provider_id"] else None,
            link_worker_id=UUID(item["link_worker_id"]) if item["link_worker_id"] else None,
            evidence=tuple(item["evidence"]),
            rulebook=item["rulebook"],
            patient_id=UUID(item["patient_id"]) if item["patient_id"] else None,
            cohort=item["cohort"],
            measured_quarter=item["measured_quarter"],
        )
        return ClaimLine(item["kind"], outcome, item["amount"], shares)

    closed_at = datetime.fromisoformat(body["closed_at"].replace("Z", "+00:00"))
    return Claim(body["period"], closed_at, tuple(line(i) for i in [*body["lines"], *body["adjustments"]]))
