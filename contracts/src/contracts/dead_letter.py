"""Dead-letter messages: the original bytes, unchanged, with headers saying why and where from."""

from __future__ import annotations

REASON = "dlq_reason"
SOURCE_TOPIC = "dlq_source_topic"
SOURCE_PARTITION = "dlq_source_partition"
SOURCE_OFFSET = "dlq_source_offset"
HEADERS = (REASON, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET)

_MAX_REASON_CHARS = 1000  # headers are not the place for a whole traceback


def dead_letter_headers(reason: str, *, topic: str, partition: int, offset: int) -> list[tuple[str, bytes]]:
    """Headers added to a message sent to `<topic>.dlq`; the original headers are kept beside them."""
    return [
        (REASON, reason[:_MAX_REASON_CHARS].encode("utf-8")),
        (SOURCE_TOPIC, topic.encode("utf-8")),
        (SOURCE_PARTITION, str(partition).encode("ascii")),
        (SOURCE_OFFSET, str(offset).encode("ascii")),
    ]
