"""What an operator looks at and acts on (the `linkwell` CLI): outbox backlog, consumer lag, dead
letters, and redriving them. All of it without reading an event: lag and counts are offsets, and a
dead letter is headers only (linkwell_runtime.deadletter).

Dead letters are read from `<topic>.dlq` as the consumers wrote them (docs/architecture.md §2.10).
A redrive writes a *retry request* to the ops topic (contracts.retry_request): it names the consumer
group, the source record (topic, partition, offset), the letter and who asked. The consumer group
fetches the record from its topic with its own principal and applies it again
(linkwell_runtime.retry), then writes a *redrive marker* beside the letter (empty value, headers
`dlq_redrive_of: <partition>:<offset>` and the outcome), so the record of what was redriven lives,
and expires, with the letters themselves. A letter with a marker is not asked for again; a request
sent twice is applied once (the consumers are idempotent).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from contracts import dead_letter
from contracts.retry_request import RetryRequest
from contracts.topics import RETRY
from linkwell_runtime import db
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.deadletter import REDRIVE_OF, REDRIVE_OUTCOME, REDRIVEN_AT
from linkwell_runtime.kafka_auth import KafkaCredentials, connection

log = logging.getLogger(__name__)


# -- outbox -------------------------------------------------------------------------------------


def outbox_backlog(dsn: str) -> dict[str, Any]:
    """Unpublished outbox rows and the age in seconds of the oldest (None when there is none)."""
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            cur.execute(
                "SELECT count(*), extract(epoch FROM now() - min(created_at)) FROM outbox WHERE published_at IS NULL"
            )
            row = cur.fetchone()
    finally:
        conn.close()
    assert row is not None  # an aggregate without GROUP BY always answers one row
    return {"unpublished": int(row[0]), "oldest_unpublished_age_seconds": None if row[1] is None else float(row[1])}


# -- consumer groups ----------------------------------------------------------------------------


def _admin(bootstrap: str) -> KafkaAdminClient:
    return KafkaAdminClient(**connection(bootstrap), client_id="linkwell-ops", request_timeout_ms=15000)


def kafka_reader(bootstrap: str, credentials: KafkaCredentials | None = None) -> KafkaConsumer:
    return KafkaConsumer(**connection(bootstrap, credentials), enable_auto_commit=False, group_id=None)


def partitions_of(reader: KafkaConsumer, topics: Iterable[str]) -> list[TopicPartition]:
    found = []
    for topic in topics:
        numbers = reader.partitions_for_topic(topic)
        if not numbers:  # kafka-python answers None or an empty set for a topic it does not know
            raise LookupError(f"topic {topic!r} does not exist")
        found += [TopicPartition(topic, p) for p in sorted(numbers)]
    return found


def consumer_lag(bootstrap: str, group: str, topics: Sequence[str]) -> list[dict[str, Any]]:
    """Per partition of `topics`: the group's committed offset (None: nothing committed yet, lag counts
    from the beginning), the end offset and the lag (messages not yet consumed)."""
    admin, reader = _admin(bootstrap), kafka_reader(bootstrap)
    try:
        committed = {tp: meta.offset for tp, meta in admin.list_consumer_group_offsets(group).items()}
        partitions = partitions_of(reader, topics)
        end = reader.end_offsets(partitions)
        begin = reader.beginning_offsets(partitions)
    finally:
        admin.close()
        reader.close()
    rows = []
    for tp in partitions:
        done = committed.get(tp)
        done = None if done is None or done < 0 else done
        rows.append(
            {
                "topic": tp.topic,
                "partition": tp.partition,
                "committed": done,
                "end": end[tp],
                "lag": end[tp] - (begin[tp] if done is None else done),
            }
        )
    return rows


def ask_group(bootstrap: str, question: Callable[[KafkaAdminClient], Any], patience: float = 120.0) -> Any:
    """`question(admin)` about a consumer group, asked again while the group's coordinator is being
    elected or is loading its offsets (a broker that has just started, a busy machine): a retriable
    error, or the ValueError kafka-python raises reading such an error answer's unset
    `authorized_operations` (bit 31), is a reason to ask again until `patience` seconds have passed."""
    backoff, deadline, unreadable = Backoff(), time.monotonic() + patience, 0
    while True:
        admin = _admin(bootstrap)
        try:
            return question(admin)
        except (KafkaError, ValueError) as exc:
            # kafka-python raises the same ValueError for every error answer (a denied group too):
            # a few times is a coordinator loading, more is something retrying cannot cure
            unreadable += isinstance(exc, ValueError)
            if (isinstance(exc, KafkaError) and not exc.retriable) or unreadable > 5 or time.monotonic() > deadline:
                raise
            log.info("group coordinator not ready (%s: %s), asking again", type(exc).__name__, exc)
        finally:
            admin.close()
        time.sleep(backoff.next_delay())


def group_members(bootstrap: str, group: str) -> int:
    """How many consumers are in the group now (0: its consumer is not running)."""
    [description] = ask_group(bootstrap, lambda admin: admin.describe_consumer_groups([group]))
    members = getattr(description, "members", None)
    if members is None and isinstance(description, tuple):  # older answers are plain tuples
        members = description[5] if len(description) > 5 else []
    return len(members or [])


def message_count(bootstrap: str, topics: Sequence[str], credentials: KafkaCredentials | None = None) -> int:
    """Messages currently on the topics (end minus beginning offsets: no record is read)."""
    reader = kafka_reader(bootstrap, credentials)
    try:
        partitions = partitions_of(reader, topics)
        end, begin = reader.end_offsets(partitions), reader.beginning_offsets(partitions)
    finally:
        reader.close()
    return sum(end[tp] - begin[tp] for tp in partitions)


# -- dead letters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadLetterRecord:
    """A letter as the operator may see it: where it is, its key (the aggregate id) and its headers.
    Never a value: letters written before letters were headers only carried the original record,
    which is dropped as it is read (`carried_value` says so)."""

    topic: str  # the dead-letter topic
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    headers: tuple[tuple[str, bytes], ...]
    carried_value: bool = False
    redriven_at: str | None = None
    redrive_outcome: str | None = None

    @property
    def id(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    def header(self, name: str) -> str | None:
        found = next((v for k, v in self.headers if k == name), None)
        return None if found is None else found.decode("utf-8", errors="replace")

    @property
    def reason(self) -> str:
        return self.header(dead_letter.REASON) or ""

    @property
    def group(self) -> str | None:
        """The consumer group that set it aside (letters written before they named it: None)."""
        return self.header(dead_letter.CONSUMER_GROUP)

    @property
    def source(self) -> tuple[str, int, int]:
        """Where the letter says its record is. Only its partition and offset are taken from the
        letter: the topic is always the one its dead-letter topic is named after (a header could name
        any topic, and every consumer of the source may write its dead-letter topic)."""
        try:
            partition = int(self.header(dead_letter.SOURCE_PARTITION) or -1)
            offset = int(self.header(dead_letter.SOURCE_OFFSET) or -1)
        except ValueError:
            partition, offset = -1, -1
        return self.topic.removesuffix(".dlq"), partition, offset

    def summary(self) -> dict[str, Any]:
        topic, partition, offset = self.source
        at = self.header(dead_letter.DEAD_LETTERED_AT)
        return {
            "id": self.id,
            "dead_lettered_at": at or datetime.fromtimestamp(self.timestamp_ms / 1000, UTC).isoformat(),
            "reason": self.reason,
            "consumer_group": self.group,
            "source_topic": topic,
            "source_partition": partition,
            "source_offset": offset,
            "event_type": self.header(dead_letter.EVENT_TYPE) or self.header("event_type"),
            "event_id": self.header(dead_letter.EVENT_ID),
            "key": None if self.key is None else self.key.decode("utf-8", errors="replace"),
            "redriven_at": self.redriven_at,
            "redrive_outcome": self.redrive_outcome,
        }

    def detail(self) -> dict[str, Any]:
        """The letter's metadata and every header; the record it names stays on its topic."""
        headers = {k: v.decode("utf-8", errors="replace") for k, v in self.headers}
        topic, partition, offset = self.source
        where = f"on {topic}[{partition}]@{offset}, read only by its consumers"
        note = "an older letter: it carried the record, which is not shown; " if self.carried_value else ""
        return self.summary() | {"headers": headers, "record": note + where}


def parse_id(letter_id: str) -> tuple[str, int, int]:
    """ "<dlq topic>:<partition>:<offset>" → its parts (ValueError when it is not one)."""
    topic, partition, offset = letter_id.rsplit(":", 2)
    if not topic.endswith(".dlq"):
        raise ValueError(f"{letter_id!r} is not a dead letter id (<topic>.dlq:<partition>:<offset>)")
    return topic, int(partition), int(offset)


def dead_letters(bootstrap: str, dlq_topics: Sequence[str]) -> list[DeadLetterRecord]:
    """Every dead letter on the topics, oldest first per partition, each with when it was redriven."""
    reader = kafka_reader(bootstrap)
    letters: list[DeadLetterRecord] = []
    redriven: dict[tuple[str, int, int], tuple[str, str | None]] = {}
    try:
        partitions = partitions_of(reader, dlq_topics)
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        end = reader.end_offsets(partitions)
        while any(reader.position(tp) < end[tp] for tp in partitions):
            for tp, records in reader.poll(timeout_ms=500).items():
                for r in records:
                    if r.offset >= end[tp]:
                        continue
                    headers = tuple((k, bytes(v)) for k, v in (r.headers or ()))
                    found = dict(headers)
                    if REDRIVE_OF in found:
                        partition, _, offset = found[REDRIVE_OF].decode().partition(":")
                        outcome = found.get(REDRIVE_OUTCOME)
                        # the first outcome is the one that counts: a request acted on again (sent
                        # twice, or re-read after a crash) finds its event already applied
                        redriven.setdefault(
                            (r.topic, int(partition), int(offset)),
                            (
                                found.get(REDRIVEN_AT, b"").decode(),
                                None if outcome is None else outcome.decode("utf-8", errors="replace"),
                            ),
                        )
                        continue
                    letters.append(
                        DeadLetterRecord(
                            r.topic, r.partition, r.offset, r.timestamp, r.key, headers, carried_value=bool(r.value)
                        )
                    )  # the value of an older letter goes no further than this line
    finally:
        reader.close()
    letters.sort(key=lambda d: (d.topic, d.partition, d.offset))
    return [_with_marker(d, redriven.get((d.topic, d.partition, d.offset))) for d in letters]


def _with_marker(letter: DeadLetterRecord, marker: tuple[str, str | None] | None) -> DeadLetterRecord:
    if marker is None:
        return letter
    return DeadLetterRecord(**{**letter.__dict__, "redriven_at": marker[0], "redrive_outcome": marker[1]})


def request_redrive(
    bootstrap: str,
    letters: Sequence[tuple[DeadLetterRecord, str]],
    requested_by: str,
    retry_topic: str = RETRY,
) -> list[RetryRequest]:
    """A retry request for each (letter, consumer group) on the ops topic, each acknowledged by the
    broker; returns the requests sent. The request names the record; the group applies it."""
    sent: list[RetryRequest] = []
    if not letters:
        return sent
    producer = KafkaProducer(
        **connection(bootstrap),
        acks="all",
        enable_idempotence=True,
        max_in_flight_requests_per_connection=1,
        retries=2**31 - 1,
    )
    try:
        for letter, group in letters:
            topic, partition, offset = letter.source
            request = RetryRequest(
                consumer_group=group,
                topic=topic,
                partition=partition,
                offset=offset,
                letter_id=letter.id,
                requested_by=requested_by,
                requested_at=datetime.now(UTC),
            )
            producer.send(retry_topic, key=request.key, value=request.to_bytes()).get(timeout=60)
            sent.append(request)
    finally:
        producer.close(timeout=10)
    return sent
