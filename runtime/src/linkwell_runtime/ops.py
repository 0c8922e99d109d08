"""What an operator looks at and acts on (the `linkwell` CLI): outbox backlog, consumer lag, dead
letters, and redriving them.

Dead letters are read from `<topic>.dlq` as the consumers wrote them (docs/architecture.md §2.10).
A redrive sends the letter back to its source topic and partition with its original key, value and
headers (the `dlq_*` ones dropped, `dlq_redriven_from` added), waits for the ack, then writes a
*redrive marker* to the dead-letter topic (empty value, header `dlq_redrive_of: <partition>:<offset>`),
so the record of what was redriven lives, and expires, with the letters themselves. A second redrive
of the same letter finds its marker and sends nothing; a crash between the two sends re-sends it once
more at worst, which the idempotent consumers ignore.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from contracts.dead_letter import REASON, SOURCE_OFFSET, SOURCE_PARTITION, SOURCE_TOPIC
from linkwell_runtime import db
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.kafka_auth import connection

log = logging.getLogger(__name__)

REDRIVE_OF = "dlq_redrive_of"  # on a marker: "<partition>:<offset>" of the letter redriven
REDRIVEN_AT = "dlq_redriven_at"
REDRIVEN_FROM = "dlq_redriven_from"  # on the redriven message: "<dlq topic>:<partition>:<offset>"
MARKER_KEY = b"dlq-redrive-marker"


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


def kafka_reader(bootstrap: str) -> KafkaConsumer:
    return KafkaConsumer(**connection(bootstrap), enable_auto_commit=False, group_id=None)


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


def message_count(bootstrap: str, topics: Sequence[str]) -> int:
    """Messages currently on the topics (end minus beginning offsets)."""
    reader = kafka_reader(bootstrap)
    try:
        partitions = partitions_of(reader, topics)
        end, begin = reader.end_offsets(partitions), reader.beginning_offsets(partitions)
    finally:
        reader.close()
    return sum(end[tp] - begin[tp] for tp in partitions)


# -- dead letters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadLetterRecord:
    topic: str  # the dead-letter topic
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    redriven_at: str | None = None

    @property
    def id(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    def header(self, name: str) -> str | None:
        found = next((v for k, v in self.headers if k == name), None)
        return None if found is None else found.decode("utf-8", errors="replace")

    @property
    def reason(self) -> str:
        return self.header(REASON) or ""

    @property
    def source(self) -> tuple[str, int, int]:
        """Where the letter says its message was read. Only its partition and offset are taken from
        the letter: the topic is always the one its dead-letter topic is named after (a header could
        name any topic, and every consumer of the source may write its dead-letter topic)."""
        try:
            partition, offset = int(self.header(SOURCE_PARTITION) or -1), int(self.header(SOURCE_OFFSET) or -1)
        except ValueError:
            partition, offset = -1, -1
        return self.topic.removesuffix(".dlq"), partition, offset

    @property
    def claimed_source_topic(self) -> str | None:
        return self.header(SOURCE_TOPIC)

    @property
    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v) for k, v in self.headers if not k.startswith("dlq_")]

    def summary(self) -> dict[str, Any]:
        topic, partition, offset = self.source
        return {
            "id": self.id,
            "dead_lettered_at": datetime.fromtimestamp(self.timestamp_ms / 1000, UTC).isoformat(),
            "reason": self.reason,
            "source_topic": topic,
            "source_partition": partition,
            "source_offset": offset,
            "event_type": self.header("event_type"),
            "key": None if self.key is None else self.key.decode("utf-8", errors="replace"),
            "redriven_at": self.redriven_at,
        }

    def detail(self) -> dict[str, Any]:
        """The letter with its message as stored: encrypted PII fields stay sealed (nothing here
        holds a key), a value that is not JSON is shown as base64."""
        try:
            value: Any = json.loads(self.value)
        except ValueError:
            value = {"base64": base64.b64encode(self.value).decode()}
        headers = {k: v.decode("utf-8", errors="replace") for k, v in self.headers}
        return self.summary() | {"headers": headers, "value": value}


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
    redriven: dict[tuple[str, int, int], str] = {}
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
                    marker = next((v for k, v in headers if k == REDRIVE_OF), None)
                    if marker is not None:
                        at = next((v for k, v in headers if k == REDRIVEN_AT), b"")
                        partition, offset = marker.decode().split(":")
                        redriven[(r.topic, int(partition), int(offset))] = at.decode()
                        continue
                    value = bytes(r.value or b"")  # a dead-lettered tombstone: listed with an empty value
                    letters.append(DeadLetterRecord(r.topic, r.partition, r.offset, r.timestamp, r.key, value, headers))
    finally:
        reader.close()
    letters.sort(key=lambda d: (d.topic, d.partition, d.offset))
    return [
        DeadLetterRecord(**{**d.__dict__, "redriven_at": redriven.get((d.topic, d.partition, d.offset))})
        for d in letters
    ]


def provenance_problems(bootstrap: str, letters: Sequence[DeadLetterRecord]) -> dict[str, str]:
    """Why each letter that may not be redriven may not, by its id. A dead-letter topic is written by
    every consumer of its source, so a letter is trusted only as a copy: the record at the partition
    and offset it names, on the topic its dead-letter topic is named after, must be the same message
    (key and value byte for byte). Anything else (a letter naming another topic, or one a consumer
    wrote of its own) is refused, so no principal can get an event onto a topic it may not write by
    way of an operator's redrive."""
    problems: dict[str, str] = {}
    wanted: dict[TopicPartition, dict[int, list[DeadLetterRecord]]] = {}
    for letter in letters:
        topic, partition, offset = letter.source
        claimed = letter.claimed_source_topic
        if claimed is not None and claimed != topic:
            problems[letter.id] = f"it names {claimed} as its source, not {topic}: refused"
        elif partition < 0 or offset < 0:
            problems[letter.id] = "it names no source partition and offset: refused"
        else:
            wanted.setdefault(TopicPartition(topic, partition), {}).setdefault(offset, []).append(letter)
    if not wanted:
        return problems
    reader = kafka_reader(bootstrap)
    try:
        for tp, by_offset in wanted.items():
            reader.assign([tp])
            end = reader.end_offsets([tp])[tp]
            for offset, claiming in sorted(by_offset.items()):
                original = None
                if offset < end:
                    reader.seek(tp, offset)
                    original = _record_at(reader, tp, offset)
                for letter in claiming:
                    if offset >= end:
                        problems[letter.id] = f"{tp.topic}[{tp.partition}] has no message at {offset}: refused"
                    elif original is None:
                        problems[letter.id] = f"{tp.topic}[{tp.partition}]@{offset} could not be read: try again"
                    elif bytes(original.value or b"") != letter.value or original.key != letter.key:
                        problems[letter.id] = (
                            f"it is not the message at {tp.topic}[{tp.partition}]@{offset}: refused (forged or corrupt)"
                        )
    finally:
        reader.close()
    return problems


def _record_at(reader: KafkaConsumer, tp: TopicPartition, offset: int, patience: float = 30.0) -> Any:
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        for record in reader.poll(timeout_ms=500, max_records=1).get(tp, []):
            return record if record.offset == offset else None
    return None


def redrive(
    bootstrap: str, letters: Sequence[DeadLetterRecord], on_sent: Callable[[int], None] | None = None
) -> list[DeadLetterRecord]:
    """Send each letter not yet redriven back to its source topic and partition, then mark it
    redriven; returns the letters sent (those already redriven are passed over). Only letters that
    `provenance_problems` clears may be given. `on_sent(1)` after each (a progress bar)."""
    todo = [d for d in letters if d.redriven_at is None]
    if not todo:
        return []
    producer = KafkaProducer(
        **connection(bootstrap),
        acks="all",
        enable_idempotence=True,
        max_in_flight_requests_per_connection=1,
        retries=2**31 - 1,
    )
    try:
        for letter in todo:
            topic, partition, _ = letter.source
            headers = [*letter.original_headers, (REDRIVEN_FROM, letter.id.encode())]
            producer.send(
                topic,
                key=letter.key,
                value=letter.value,
                headers=headers,
                partition=None if partition < 0 else partition,
            ).get(timeout=60)
            marker = [
                (REDRIVE_OF, f"{letter.partition}:{letter.offset}".encode()),
                (REDRIVEN_AT, datetime.now(UTC).isoformat().encode()),
            ]
            producer.send(letter.topic, key=MARKER_KEY, value=b"", headers=marker, partition=letter.partition).get(
                timeout=60
            )
            if on_sent is not None:
                on_sent(1)
    finally:
        producer.close(timeout=10)
    return todo
