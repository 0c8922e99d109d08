"""The backbone on a real broker and database: outbox → relay → Kafka → idempotent consumer."""

from __future__ import annotations

import threading

import pytest
from backbone_app import counted, increment
from kafka import KafkaConsumer, KafkaProducer

from linkwell_runtime import db, eventstore
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.repository import retrying_on_conflict
from linkwell_runtime.testing import wait_until


def write(dsn: str, topic: str, streams: int, versions: int, start_version: int = 1) -> list:
    """Append `versions` events to each of `streams` aggregates, interleaved, one transaction each."""
    conn, events = db.connect(dsn), []
    for version in range(start_version, start_version + versions):
        for stream in range(streams):
            with db.transaction(conn) as cur:
                events.append(increment(cur, f"counter-{stream}", version, topic))
    conn.close()
    return events


def applied_counts(bb) -> dict:
    rows = bb.query("SELECT event_id, count(*) FROM effects GROUP BY event_id")
    return dict(rows)


def wait_applied(bb, expected: int, timeout: float = 90.0, process=None) -> dict:
    def probe():
        if process is not None and not process.alive() and process.returncode not in (None, -9):
            raise AssertionError(f"{process.name} exited {process.returncode}:\n{process.log_tail()}")
        counts = applied_counts(bb)
        return counts if len(counts) >= expected else None

    return wait_until(probe, timeout=timeout, what=f"{expected} events applied")


def read_topic(bootstrap: str, topic: str, expected: int) -> list:
    consumer = KafkaConsumer(
        topic,
        **connection(bootstrap),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=2000,
    )
    records: list = []
    wait_until(
        lambda: records.extend(r for batch in consumer.poll(500).values() for r in batch) or len(records) >= expected,
        timeout=60,
        what=f"{expected} records on {topic}",
    )
    consumer.close()
    return records


def test_event_appended_with_its_state_change_reaches_consumer_exactly_once(backbone):
    relay, consumer = backbone.relay().start(), backbone.consumer().start()
    first = write(backbone.dsn, backbone.topic, streams=1, versions=1)[0]
    wait_applied(backbone, 1, process=consumer)
    sentinel = write(backbone.dsn, backbone.topic, streams=1, versions=1, start_version=2)[0]
    counts = wait_applied(backbone, 2, process=consumer)
    assert counts == {first.event_id: 1, sentinel.event_id: 1}
    assert backbone.query("SELECT value FROM counters") == [(2,)]
    assert backbone.query("SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]
    relay.stop(), consumer.stop()


def test_rolled_back_transaction_publishes_nothing(backbone):
    conn = db.connect(backbone.dsn)

    def append_then_fail() -> None:
        with db.transaction(conn) as cur:
            increment(cur, "counter-x", 1, backbone.topic)
            raise RuntimeError("the state change failed after the event was appended")

    with pytest.raises(RuntimeError):
        append_then_fail()
    conn.close()
    assert backbone.query("SELECT count(*) FROM events") == [(0,)]
    assert backbone.query("SELECT count(*) FROM outbox") == [(0,)]


def test_relay_killed_after_publishing_before_marking_resends_and_consumer_applies_once(backbone):
    events = write(backbone.dsn, backbone.topic, streams=5, versions=10)
    consumer = backbone.consumer().start()
    crashing = backbone.relay().start(LINKWELL_FAILPOINTS="relay.after_publish")
    wait_until(lambda: crashing.returncode is not None, timeout=60, what="relay to crash at its failpoint")
    assert crashing.returncode == -9, crashing.log_tail()
    # Published but never marked: the broker has every event, the outbox still owes them all.
    assert backbone.query("SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(50,)]
    wait_applied(backbone, 50, process=consumer)

    backbone.relay().start()
    wait_until(
        lambda: backbone.query("SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)],
        timeout=60,
        what="the restarted relay to mark the outbox",
    )
    assert len(read_topic(backbone.bootstrap, backbone.topic, 100)) == 100  # really sent twice
    sentinel = write(backbone.dsn, backbone.topic, streams=1, versions=1, start_version=11)[0]
    counts = wait_applied(backbone, 51, process=consumer)
    assert counts == {e.event_id: 1 for e in [*events, sentinel]}


@pytest.mark.parametrize("mode", ["event", "batch"])
@pytest.mark.parametrize("failpoint", ["consumer.mid_batch@2", "consumer.after_commit@2"])
def test_consumer_killed_mid_batch_loses_nothing_and_applies_nothing_twice(backbone, failpoint, mode):
    events = write(backbone.dsn, backbone.topic, streams=4, versions=50)
    backbone.relay().start()
    crashing = backbone.consumer(mode).start(LINKWELL_FAILPOINTS=failpoint)
    wait_until(lambda: crashing.returncode is not None, timeout=90, what="consumer to crash at its failpoint")
    assert crashing.returncode == -9, crashing.log_tail()
    before = sum(applied_counts(backbone).values())
    assert before < len(events)

    restarted = backbone.consumer(mode).start()
    counts = wait_applied(backbone, len(events), process=restarted)
    assert counts == {e.event_id: 1 for e in events}
    assert backbone.query("SELECT sum(out_of_order) FROM stream_heads") == [(0,)]


def test_concurrent_write_to_same_aggregate_version_one_wins_other_conflicts(backbone):
    first, second = db.connect(backbone.dsn), db.connect(backbone.dsn)
    cur1, cur2 = first.cursor(), second.cursor()
    eventstore.append(cur1, [counted("acct", 1)], backbone.topic)
    outcome: list = []

    def contender():  # blocks on the unique key until the first commits, then must lose
        try:
            eventstore.append(cur2, [counted("acct", 1)], backbone.topic)
            outcome.append("appended")
        except eventstore.ConcurrencyConflict as exc:
            outcome.append(exc)

    thread = threading.Thread(target=contender)
    thread.start()
    first.commit()
    thread.join(timeout=30)
    second.rollback()
    assert len(outcome) == 1 and isinstance(outcome[0], eventstore.ConcurrencyConflict)
    assert backbone.query("SELECT count(*) FROM events WHERE aggregate_id = 'acct'") == [(1,)]
    assert backbone.query("SELECT count(*) FROM outbox") == [(1,)]
    first.close(), second.close()


def test_conflicting_append_leaves_the_transaction_usable_so_a_reload_and_retry_commits(backbone):
    winner, loser = db.connect(backbone.dsn), db.connect(backbone.dsn)
    with db.transaction(winner) as cur:
        eventstore.append(cur, [counted("acct", 1)], backbone.topic)
    cur = loser.cursor()
    cur.execute("INSERT INTO counters (name, value) VALUES ('before-the-append', 1)")
    attempts: list[int] = []

    def append_next() -> None:  # first with a stale version, then with the one it reloads
        version = 1 if not attempts else eventstore.current_version(cur, "acct") + 1
        attempts.append(version)
        eventstore.append(cur, [counted("acct", version), counted("acct", version + 1)], backbone.topic)

    retrying_on_conflict(append_next)
    loser.commit()
    assert attempts == [1, 2]
    assert backbone.query(
        "SELECT aggregate_version FROM events WHERE aggregate_id = 'acct' ORDER BY aggregate_version"
    ) == [(1,), (2,), (3,)]
    assert backbone.query("SELECT count(*) FROM outbox") == [(3,)]  # nothing queued by the failed attempt
    assert backbone.query("SELECT value FROM counters WHERE name = 'before-the-append'") == [(1,)]
    with db.transaction(winner) as read:
        assert [e.aggregate_version for e in eventstore.load(read, "acct", from_version=2)] == [2, 3]
    winner.close(), loser.close()


@pytest.mark.parametrize("mode", ["event", "batch"])
@pytest.mark.parametrize(
    "bad_value, reason",
    [
        (b"{not json", "undecodable"),
        (counted("p", 1).model_copy(update={"payload": {"amount": 1, "poison": True}}).to_bytes(), "PoisonEvent"),
    ],
)
def test_malformed_message_goes_to_dlq_with_reason_and_next_good_one_is_applied(backbone, bad_value, reason, mode):
    producer = KafkaProducer(**connection(backbone.bootstrap), acks="all")
    good = counted("p", 2 if b"poison" in bad_value else 1)
    producer.send(backbone.topic, key=b"p", value=bad_value).get(timeout=30)
    producer.send(backbone.topic, key=b"p", value=good.to_bytes()).get(timeout=30)
    producer.close()
    consumer = backbone.consumer(mode).start()
    assert wait_applied(backbone, 1, process=consumer) == {good.event_id: 1}
    [dead] = read_topic(backbone.bootstrap, f"{backbone.topic}.dlq", 1)
    headers = dict(dead.headers)
    assert dead.value == b""  # a letter names the record; the record stays on its topic
    assert reason in headers["dlq_reason"].decode()
    assert headers["dlq_source_topic"].decode() == backbone.topic
    assert headers["dlq_source_offset"] == b"0" and headers["dlq_consumer_group"] == backbone.group.encode()


def test_events_of_one_aggregate_arrive_in_order_across_partitions_and_restarts(backbone):
    events = write(backbone.dsn, backbone.topic, streams=24, versions=15)
    relay, consumer = backbone.relay().start(), backbone.consumer().start()
    wait_applied(backbone, 60, process=consumer)
    consumer.kill(), relay.kill()  # crash both mid-stream
    relay, consumer = backbone.relay().start(), backbone.consumer().start()
    more = write(backbone.dsn, backbone.topic, streams=24, versions=5, start_version=16)
    counts = wait_applied(backbone, len(events) + len(more), process=consumer)
    assert counts == {e.event_id: 1 for e in [*events, *more]}
    assert set(backbone.query("SELECT last_version, out_of_order FROM stream_heads")) == {(20, 0)}
    partitions = {r.partition for r in read_topic(backbone.bootstrap, backbone.topic, len(events))}
    assert len(partitions) > 1  # the streams really were spread across partitions
