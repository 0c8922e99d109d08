"""The idempotent consumer: applies a batch of Kafka messages in one PostgreSQL transaction.

Each message's event id is recorded in `processed_events` in the same transaction as its effect,
so redelivery after a crash is a no-op. A message that cannot be decoded or applied gets a letter on
the dead-letter topic (naming it, with the reason: linkwell_runtime.deadletter) and the rest of the
batch goes on; `linkwell dlq redrive` later asks this consumer to apply it again (linkwell_runtime.retry).
A database outage is retried with back-off and never acknowledged, so nothing is lost.

Fast path: the whole batch's ids are recorded with one statement and the handler runs without
savepoints (about 3x faster than per-event savepoints, measured by bench/backbone.py). If a handler
fails, the batch is rolled back and re-applied one event at a time, each in its own savepoint, so
only the bad event is dead-lettered.

Each batch also moves the consumer's position per topic partition (`positions`) in its transaction.

A consumer that applies only some event types names them (`applies_to`): a message whose
`event_type` header names another type is passed over without being decoded or recorded (it changes
nothing here, so there is nothing to make idempotent). The relay writes that header from the
envelope; a message without it is decoded and judged as usual.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from uuid import UUID

import psycopg2.extensions
import psycopg2.extras

from contracts import Envelope
from contracts.codec import ContractError, decode
from contracts.events import EventPayload
from linkwell_runtime import db, failpoints, positions
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.deadletter import DeadLetter, DeadLetterSink
from linkwell_runtime.messages import Message as Message  # re-exported: consumers build Messages from here

log = logging.getLogger(__name__)

# The handler applies one event's effect with the transaction's cursor. `payload` is the typed
# payload when the event type is registered in contracts, else None.
Handler = Callable[[psycopg2.extensions.cursor, Envelope, EventPayload | None], None]


@dataclass(frozen=True)
class Decoded:
    message: Message
    envelope: Envelope
    payload: EventPayload | None


# A batch handler applies many events at once (e.g. one multi-row INSERT): only new events, in order.
BatchHandler = Callable[[psycopg2.extensions.cursor, Sequence[Decoded]], None]

# A record handler applies records of compacted topics (`record_topics`): the latest value of a key, or
# None (a tombstone). They are state, not events: no event id to record, and applying a key's records
# again in their order ends where it ended before, so redelivery needs no `processed_events`.
RecordHandler = Callable[[psycopg2.extensions.cursor, Sequence[Message]], None]


@dataclass
class BatchResult:
    applied: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    passed_over: int = 0  # other event types than the consumer applies


class PoisonEvent(Exception):
    """Raised by a handler for an event that is well-formed but can never be applied.

    Any other non-transient exception from a handler is treated the same way: the event goes to
    the dead-letter topic with the reason instead of being lost or blocking the partition.
    """


class IdempotentConsumer:
    def __init__(
        self,
        name: str,
        dsn: str,
        handler: Handler | None,
        dead_letters: DeadLetterSink,
        *,
        batch_handler: BatchHandler | None = None,
        applies_to: Collection[str] | None = None,
        record_handler: RecordHandler | None = None,
        record_topics: Collection[str] = (),
    ) -> None:
        if (handler is None) == (batch_handler is None):
            raise ValueError("give exactly one of handler and batch_handler")
        if bool(record_topics) != (record_handler is not None):
            raise ValueError("give record_topics with a record_handler")
        self._record_handler = record_handler
        self._record_topics = frozenset(record_topics)
        self._applies_to = None if applies_to is None else frozenset(t.encode() for t in applies_to)
        self.name = name
        self._dsn = dsn
        self._handler = handler
        self._batch_handler = batch_handler
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
        records = [m for m in messages if m.topic in self._record_topics]
        wanted = [m for m in messages if m.topic not in self._record_topics and self._applies(m)]
        conn = self._connection()
        if not wanted and not records:
            with db.transaction(conn) as cur:
                positions.record(cur, self.name, messages)
            return BatchResult(passed_over=len(messages))
        decoded, dead = _decode_all(wanted, self.name)
        with db.transaction(conn) as cur:
            positions.record(cur, self.name, messages)  # with the effect: never ahead of it, never behind
            records_applied = self._apply_records(cur, records, dead)
            cur.execute("SAVEPOINT batch")
            try:
                result = self._apply_fast(cur, decoded)
            except db.TRANSIENT_ERRORS:
                raise
            except Exception:  # noqa: BLE001 - some event is bad: find it one by one
                log.warning("%s: a handler failed; re-applying the batch event by event", self.name)
                cur.execute("ROLLBACK TO SAVEPOINT batch")
                result = self._apply_slow(cur, decoded, dead)
        failpoints.reach("consumer.after_commit")
        if dead:
            self._dead_letters.send(dead)  # after commit: a crash here re-delivers and re-dead-letters
        result.applied += records_applied
        result.dead_lettered = len(dead)
        result.passed_over = len(messages) - len(wanted) - len(records)
        return result

    def _apply_records(self, cur: psycopg2.extensions.cursor, records: list[Message], dead: list[DeadLetter]) -> int:
        """The batch's compacted-topic records, all at once; if that fails, one by one in savepoints,
        the bad one dead-lettered. Returns how many were applied."""
        if not records:
            return 0
        assert self._record_handler is not None  # the constructor pairs record topics with a handler
        cur.execute("SAVEPOINT records")
        try:
            self._record_handler(cur, records)
            cur.execute("RELEASE SAVEPOINT records")
            return len(records)
        except db.TRANSIENT_ERRORS:
            raise
        except Exception:  # noqa: BLE001 - some record is bad: find it one by one
            cur.execute("ROLLBACK TO SAVEPOINT records")
        applied = 0
        for record in records:
            cur.execute("SAVEPOINT record")
            try:
                self._record_handler(cur, [record])
                cur.execute("RELEASE SAVEPOINT record")
                applied += 1
            except db.TRANSIENT_ERRORS:
                raise
            except Exception as exc:  # noqa: BLE001 - this record's, not the batch's
                cur.execute("ROLLBACK TO SAVEPOINT record")
                dead.append(DeadLetter(record, f"{type(exc).__name__}: {exc}", self.name))
        return applied

    def _applies(self, message: Message) -> bool:
        if self._applies_to is None:
            return True
        event_type = next((v for k, v in message.headers if k == "event_type"), None)
        return event_type is None or event_type in self._applies_to

    def _apply_fast(self, cur: psycopg2.extensions.cursor, decoded: list[Decoded]) -> BatchResult:
        fresh = self._record_processed(cur, decoded)
        todo: list[Decoded] = []
        for item in decoded:
            if item.envelope.event_id in fresh:
                fresh.discard(item.envelope.event_id)  # a duplicate inside the batch applies once
                todo.append(item)
        if self._batch_handler is not None:
            failpoints.reach("consumer.mid_batch")
            self._batch_handler(cur, todo)
        else:
            assert self._handler is not None  # the constructor demands exactly one of the two
            for index, item in enumerate(todo):
                if index == len(todo) // 2:
                    failpoints.reach("consumer.mid_batch")
                self._handler(cur, item.envelope, item.payload)
        return BatchResult(applied=len(todo), duplicates=len(decoded) - len(todo))

    def _apply_slow(
        self, cur: psycopg2.extensions.cursor, decoded: list[Decoded], dead: list[DeadLetter]
    ) -> BatchResult:
        result = BatchResult()
        for item in decoded:
            cur.execute("SAVEPOINT event")
            try:
                if self._record_processed(cur, [item]):
                    self._apply_one(cur, item)
                    result.applied += 1
                else:
                    result.duplicates += 1
                cur.execute("RELEASE SAVEPOINT event")
            except db.TRANSIENT_ERRORS:
                raise
            except Exception as exc:  # noqa: BLE001 - any non-transient failure is this event's, not the batch's
                cur.execute("ROLLBACK TO SAVEPOINT event")
                reason = f"{type(exc).__name__}: {exc}"
                dead.append(
                    DeadLetter(item.message, reason, self.name, item.envelope.event_type, item.envelope.event_id)
                )
        return result

    def _apply_one(self, cur: psycopg2.extensions.cursor, item: Decoded) -> None:
        if self._batch_handler is not None:
            self._batch_handler(cur, [item])
        else:
            assert self._handler is not None  # the constructor demands exactly one of the two
            self._handler(cur, item.envelope, item.payload)

    def _record_processed(self, cur: psycopg2.extensions.cursor, decoded: list[Decoded]) -> set[UUID]:
        """Insert the batch's event ids; return those not seen before (the ones to apply)."""
        if not decoded:
            return set()
        rows = psycopg2.extras.execute_values(
            cur,
            "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
            " VALUES %s ON CONFLICT DO NOTHING RETURNING event_id",
            list(
                {
                    d.envelope.event_id: (
                        self.name,
                        d.envelope.event_id,
                        d.message.topic,
                        d.message.partition,
                        d.message.offset,
                    )
                    for d in decoded
                }.values()
            ),
            page_size=len(decoded),
            fetch=True,
        )
        return {row[0] for row in rows}

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


def mark_processed(cur: psycopg2.extensions.cursor, consumer: str, envelopes: Sequence[Envelope], topic: str) -> None:
    """Record events a service applied itself, in the transaction that applied them (no Kafka position:
    partition and offset -1), so that its consumer passes them by when they arrive from the topic."""
    if envelopes:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
            " VALUES %s ON CONFLICT DO NOTHING",
            [(consumer, e.event_id, topic, -1, -1) for e in envelopes],
        )


def _decode_all(messages: Sequence[Message], group: str) -> tuple[list[Decoded], list[DeadLetter]]:
    decoded: list[Decoded] = []
    dead: list[DeadLetter] = []
    for message in messages:
        if message.value is None:  # a tombstone has no place on an event topic
            dead.append(DeadLetter(message, "undecodable: a tombstone (null value) on an event topic", group))
            continue
        try:
            envelope, payload = decode(message.value)
        except ContractError as exc:
            dead.append(DeadLetter(message, f"undecodable: {exc}", group))
            continue
        decoded.append(Decoded(message, envelope, payload))
    return decoded, dead
