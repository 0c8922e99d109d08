"""Dead-letter topic `<topic>.dlq`: a letter names the record set aside (topic, partition, offset),
the consumer group, the reason, the event's type and id, and when, in headers, with an empty value:
the record stays on its topic of record, and whoever reads letters reads no event content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from contracts.dead_letter import dead_letter_headers
from contracts.topics import dlq
from linkwell_runtime.kafka_auth import KafkaCredentials, connection
from linkwell_runtime.messages import Message

# A redrive's outcome, written by the consumer that applied it beside the letters (empty value):
# `linkwell dlq list` shows a letter redriven once one names it.
REDRIVE_OF = "dlq_redrive_of"  # "<partition>:<offset>" of the letter on this dead-letter topic
REDRIVEN_AT = "dlq_redriven_at"
REDRIVE_OUTCOME = "dlq_redrive_outcome"
MARKER_KEY = b"dlq-redrive-marker"


@dataclass(frozen=True)
class DeadLetter:
    message: Message
    reason: str
    group: str
    event_type: str | None = None
    event_id: UUID | None = None

    def headers(self) -> list[tuple[str, bytes]]:
        m = self.message
        # the source's own headers say its type and version (never content); older letters' `dlq_*` go
        original = [(k, v) for k, v in m.headers if not k.startswith("dlq_")]
        return original + dead_letter_headers(
            self.reason,
            topic=m.topic,
            partition=m.partition,
            offset=m.offset,
            group=self.group,
            at=datetime.now(UTC),
            event_type=self.event_type,
            event_id=self.event_id,
        )


@dataclass(frozen=True)
class RedriveOutcome:
    """What a consumer did with a retry request for the letter `letter_partition:letter_offset` of
    `<source topic>.dlq`."""

    source_topic: str
    letter_partition: int
    letter_offset: int
    outcome: str  # "applied", "already applied", "dead-lettered again: ..."

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            (REDRIVE_OF, f"{self.letter_partition}:{self.letter_offset}".encode()),
            (REDRIVEN_AT, datetime.now(UTC).isoformat().encode()),
            (REDRIVE_OUTCOME, self.outcome[:1000].encode()),
        ]


class DeadLetterSink(Protocol):
    def send(self, letters: Sequence[DeadLetter]) -> None: ...


class KafkaDeadLetterSink:
    """Publishes dead letters with an idempotent producer and waits for the broker's ack."""

    def __init__(self, bootstrap_servers: str, credentials: KafkaCredentials | None = None) -> None:
        from kafka import KafkaProducer

        self._producer = KafkaProducer(
            **connection(bootstrap_servers, credentials),
            acks="all",
            enable_idempotence=True,
            retries=2**31 - 1,
            delivery_timeout_ms=120_000,
            max_in_flight_requests_per_connection=1,
        )

    def send(self, letters: Sequence[DeadLetter]) -> None:
        futures = [
            self._producer.send(dlq(d.message.topic), key=d.message.key, value=b"", headers=d.headers())
            for d in letters
        ]
        self._wait(futures)

    def mark_redriven(self, outcome: RedriveOutcome) -> None:
        """Beside the letter, on its partition of the dead-letter topic of its source (a partition the
        topic does not have names no letter: nothing to mark)."""
        if outcome.letter_partition not in (self._producer.partitions_for(dlq(outcome.source_topic)) or ()):
            return
        self._wait(
            [
                self._producer.send(
                    dlq(outcome.source_topic),
                    key=MARKER_KEY,
                    value=b"",
                    headers=outcome.headers(),
                    partition=outcome.letter_partition,
                )
            ]
        )

    def _wait(self, futures: list) -> None:  # type: ignore[type-arg]
        self._producer.flush(timeout=130)
        for future in futures:
            future.get(timeout=130)

    def close(self) -> None:
        self._producer.close(timeout=5)
