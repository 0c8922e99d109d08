"""Reporting events (topic `linkwell.reporting.v1`): claims closed by finance.

A closed claim is immutable; its canonical document is stored by reporting and its SHA-256 travels
here so anyone can check the bytes later served by `GET /claims/{period}`. Aggregate type `claim`;
aggregate id = the period (`YYYY-MM`).
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from contracts import topics
from contracts.events import EventPayload, register_event

PERIOD = r"^\d{4}-(0[1-9]|1[0-2])$"


@register_event
class ClaimClosed(EventPayload):
    """Finance closed the claim for a month: totals in integer pence (adjustments may be negative)."""

    event_type: ClassVar[str] = "ClaimClosed"
    aggregate_type: ClassVar[str] = "claim"
    topic: ClassVar[str] = topics.REPORTING

    period: str = Field(pattern=PERIOD)
    closed_at: AwareDatetime
    rulebook_ids: tuple[str, ...] = Field(description="rulebook versions that priced its lines, e.g. w2w-2015@1")
    lines_count: int = Field(ge=0)
    adjustments_count: int = Field(ge=0)
    total_pence: int
    totals_by_payer: dict[str, int]
    totals_by_provider: dict[str, int]
    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


REPORTING_EVENTS: tuple[type[EventPayload], ...] = (ClaimClosed,)
