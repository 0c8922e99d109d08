"""The idempotent consumer: applies a batch of Kafka messages in one PostgreSQL transaction.

Each message's event id is recorded in `processed_events` in the same transaction as its effect,
so redelivery after a crash is a no-op. A message that cannot be decoded or applied is rolled back
to its own savepoint and sent to the dead-letter topic with the reason; the rest of the batch goes
on. A database outage is retried with back-off and never acknowledged, so nothing is lost.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg2
import psycopg2.extensions
from contracts import Envelope
from contracts.codec import ContractError, decode
from contracts.events import EventPayload

from linkwell_runtime import db, failpoints
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.deadletter import DeadLetter, DeadLetterSink

log = logging.getLogger(__name__)

# The handler applies one event's effect with the transaction's cursor. `payload` is the typed
# payload when the event type is registered in contracts, else None.
Handler = Callable[[psycopg2.extensions.cursor, Envelope, EventPayload | None], None]


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass
class BatchResult:
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0


class PoisonEvent(Exception):
    """Raised by a handler for an event that is well-formed but can never be applied.

    Any other non-transient exception from a handler is treated the same way: the event goes to
    the dead-letter topic with the reason instead of being lost or blocking the partition.
    """


class IdempotentConsumer:
    def __init__(self, name: str, dsn: str, handler: Handler, dead_letters: DeadLetterSink) -> None:
        self.name = name
        self._dsn = dsn
        self._handler = handler
        self._dead_letters = dead_letters
        self._conn: psycopg2.extensions.connection | None = None

    def apply_batch(self, messages: Sequence[Message]) -> BatchResult:
        """Apply the batch exactly once; on a database outage retry until it is applied."""
        backoff = Backoff()
        while True:
            try:
                return self._apply_once(messages)
            except db.TRANSIENT_ERRORS:
                log.warning("%s: database unavailable, retrying batch of %d", self.name, len(messages))
                self._close()
                time.sleep(backoff.next_delay())

    def _apply_once(self, messages: Sequence[Message]) -> BatchResult:
        result, dead = BatchResult(), []
        conn = self._connection()
        with db.transaction(conn) as cur:
            for index, message in enumerate(messages):
                if index == len(messages) // 2:
                    failpoints.reach("consumer.mid_batch")
                outcome = self._apply_one(cur, message)
                if isinstance(outcome, DeadLetter):
                    dead.append(outcome)
                elif outcome:
                    result.applied += 1
                else:
                    result.duplicates += 1
        failpoints.reach("consumer.after_commit")
        if dead:
            self._dead_letters.send(dead)  # after commit: a crash here re-delivers and re-dead-letters
        result.dead_lettered = len(dead)
        return result

    def _apply_one(self, cur, message: Message) -> bool | DeadLetter:
        try:
            envelope, payload = decode(message.value)
        except ContractError as exc:
            return DeadLetter.of(message, f"undecodable: {exc}")
        cur.execute("SAVEPOINT event")
        try:
            cur.execute(
                "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (self.name, envelope.event_id, message.topic, message.partition, message.offset),
            )
            if cur.rowcount == 0:
                cur.execute("RELEASE SAVEPOINT event")
                return False
            self._handler(cur, envelope, payload)
            cur.execute("RELEASE SAVEPOINT event")
            return True
        except db.TRANSIENT_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - any non-transient failure is this event's, not the batch's
            cur.execute("ROLLBACK TO SAVEPOINT event")
            return DeadLetter.of(message, f"{type(exc).__name__}: {exc}")

    def _connection(self) -> psycopg2.extensions.connection:
        if self._conn is None or self._conn.closed:
            self._conn = db.connect(self._dsn)
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
