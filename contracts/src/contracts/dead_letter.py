"""Dead-letter messages: no value, only headers saying what was set aside, why, where from and by
whom. The record itself stays on its topic of record (kept for ever, contracts.topics): a letter
points at it, so the operator who reads letters never reads event content.

Letters written before this had the original value (and its headers); they are still read for their
headers only, and their value is never shown (linkwell_runtime.ops)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

REASON = "dlq_reason"
SOURCE_TOPIC = "dlq_source_topic"
SOURCE_PARTITION = "dlq_source_partition"
SOURCE_OFFSET = "dlq_source_offset"
CONSUMER_GROUP = "dlq_consumer_group"  # the consumer that set it aside: the one a redrive asks
EVENT_TYPE = "dlq_event_type"  # when the record could be decoded (else the source's `event_type` header)
EVENT_ID = "dlq_event_id"
DEAD_LETTERED_AT = "dlq_at"
HEADERS = (REASON, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, CONSUMER_GROUP, DEAD_LETTERED_AT)

_MAX_REASON_CHARS = 1000  # headers are not the place for a whole traceback


def dead_letter_headers(
    reason: str,
    *,
    topic: str,
    partition: int,
    offset: int,
    group: str,
    at: datetime,
    event_type: str | None = None,
    event_id: UUID | None = None,
) -> list[tuple[str, bytes]]:
    """A letter's headers. `reason` must name no value of the record (a handler's refusal names
    fields, never what they held: docs/security.md)."""
    headers = [
        (REASON, reason[:_MAX_REASON_CHARS].encode("utf-8")),
        (SOURCE_TOPIC, topic.encode("utf-8")),
        (SOURCE_PARTITION, str(partition).encode("ascii")),
        (SOURCE_OFFSET, str(offset).encode("ascii")),
        (CONSUMER_GROUP, group.encode("utf-8")),
        (DEAD_LETTERED_AT, at.isoformat().encode("ascii")),
    ]
    if event_type is not None:
        headers.append((EVENT_TYPE, event_type.encode("utf-8")))
    if event_id is not None:
        headers.append((EVENT_ID, str(event_id).encode("ascii")))
    return headers
