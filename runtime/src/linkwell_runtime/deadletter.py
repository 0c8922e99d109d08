"""Dead-letter topic `<topic>.dlq`: the original bytes, untouched, with the reason in headers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from contracts.dead_letter import dead_letter_headers
from contracts.topics import dlq
from linkwell_runtime.kafka_auth import KafkaCredentials, connection
from linkwell_runtime.messages import Message


@dataclass(frozen=True)
class DeadLetter:
    message: Message
    reason: str

    @classmethod
    def of(cls, message: Message, reason: str) -> DeadLetter:
        return cls(message, reason)

    def headers(self) -> list[tuple[str, bytes]]:
        m = self.message
        original = [(k, v) for k, v in m.headers if not k.startswith("dlq_")]
        return original + dead_letter_headers(self.reason, topic=m.topic, partition=m.partition, offset=m.offset)


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
            self._producer.send(dlq(d.message.topic), key=d.message.key, value=d.message.value, headers=d.headers())
            for d in letters
        ]
        self._producer.flush(timeout=130)
        for future in futures:
            future.get(timeout=130)

    def close(self) -> None:
        self._producer.close(timeout=5)
