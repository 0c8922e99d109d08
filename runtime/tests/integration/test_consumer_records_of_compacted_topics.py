"""Records of a compacted topic (keyed values and tombstones, not events) go to the consumer's record
handler in the batch's transaction, with the positions and without `processed_events`; a record the
handler refuses is dead-lettered alone; a tombstone on an event topic is dead-lettered, never applied."""

from __future__ import annotations

from backbone_app import counted

from linkwell_runtime import db, migrations
from linkwell_runtime.consumer import IdempotentConsumer, Message
from linkwell_runtime.deadletter import KafkaDeadLetterSink
from linkwell_runtime.testing.topics import read_whole_topic


def test_records_go_to_the_record_handler_and_a_bad_one_or_a_stray_tombstone_is_dead_lettered(
    database_url, kafka_bootstrap, topic_factory
):
    events, records = topic_factory("events"), topic_factory("records", partitions=1)
    migrations.migrate(database_url, migrations.sources(None))
    applied: list = []
    state: dict[bytes, bytes | None] = {}

    def keep(cur, batch) -> None:
        for m in batch:
            if m.value == b"bad":
                raise ValueError("not a record of ours")
            state[m.key] = m.value

    sink = KafkaDeadLetterSink(kafka_bootstrap)
    consumer = IdempotentConsumer(
        "stateful",
        database_url,
        lambda cur, envelope, payload: applied.append(envelope.event_id),
        sink,
        record_handler=keep,
        record_topics=[records],
    )
    event = counted("a", 1)
    batch = [
        Message(records, 0, 0, b"p1", b"value-1"),
        Message(events, 0, 0, b"a", event.to_bytes(), tuple(event.kafka_headers())),
        Message(records, 0, 1, b"p2", b"bad"),
        Message(records, 0, 2, b"p1", None),  # its tombstone, after its value
        Message(events, 0, 1, b"a", None),  # a tombstone where events go
    ]
    try:
        result = consumer.apply_batch(batch)
        assert (result.applied, result.dead_lettered) == (3, 2)
        assert applied == [event.event_id] and state == {b"p1": None}
        conn = db.connect(database_url)
        with db.transaction(conn) as cur:
            cur.execute("SELECT count(*) FROM processed_events WHERE consumer = 'stateful'")
            assert cur.fetchone()[0] == 1  # the event only
            cur.execute("SELECT topic, next_offset FROM consumer_positions WHERE consumer = 'stateful' ORDER BY 1")
            assert cur.fetchall() == sorted([(events, 2), (records, 3)])
        conn.close()
        # letters name the record set aside (its offset, the group), never carry it
        letters = {
            name: [
                (m.key, m.value, dict(m.headers).get("dlq_source_offset"), dict(m.headers).get("dlq_consumer_group"))
                for m in read_whole_topic(kafka_bootstrap, f"{name}.dlq")
            ]
            for name in (records, events)
        }
        assert letters == {records: [(b"p2", b"", b"1", b"stateful")], events: [(b"a", b"", b"1", b"stateful")]}
    finally:
        sink.close()
