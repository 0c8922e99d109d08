"""A claim as canonical JSON bytes: sorted keys, no spaces, UTF-8, instants in UTC.

Stored when the claim is closed and served as is, so `GET /claims/{period}` gives the same bytes at
any later time; `claim_document` is deterministic, so it can also be rebuilt to check them.
"""
from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from reporting.domain.claims import Claim, ClaimLine
from reporting.domain.outcome import Outcome


def claim_document(claim: Claim) -> bytes:
    body = {
        "period": claim.period,
        "closed_at": claim.closed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "lines": [_line(line) for line in claim.outcomes],
        "adjustments": [_line(line) for line in claim.adjustments],
        "totals": {
            "amount": claim.total, "by_payer": claim.totals_by_payer, "by_provider": claim.totals_by_provider,
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
    return {**outcome_fields(line.outcome), "kind": line.kind, "amount": line.amount,
            "payer_shares": dict(line.payer_shares)}
