"""A consumer that applies only some event types lets the others pass by their header: not decoded,
not recorded, not dead-lettered; a message without the header is still judged (and dead-lettered)."""

from __future__ import annotations

from backbone_app import counted

from linkwell_runtime import db, migrations
from linkwell_runtime.consumer import IdempotentConsumer, Message
from linkwell_runtime.deadletter import KafkaDeadLetterSink
from linkwell_runtime.testing.topics import read_whole_topic


def test_other_event_types_pass_by_header_and_a_message_without_one_is_still_judged(
    database_url, kafka_bootstrap, topic_factory
):
    topic = topic_factory("picky")
    migrations.migrate(database_url, migrations.sources(None))
    applied: list = []
    sink = KafkaDeadLetterSink(kafka_bootstrap)
    consumer = IdempotentConsumer(
        "picky",
        database_url,
        lambda cur, envelope, payload: applied.append(envelope.event_id),
        sink,
        applies_to={"CounterIncremented"},
    )
    wanted, other = counted("a", 1), counted("a", 2, event_type="CounterReset")
    batch = [
        Message(topic, 0, 0, b"a", b"{not json", (("event_type", b"CounterReset"),)),  # never parsed
        Message(topic, 0, 1, b"a", other.to_bytes(), tuple(other.kafka_headers())),
        Message(topic, 0, 2, b"a", wanted.to_bytes(), tuple(wanted.kafka_headers())),
        Message(topic, 0, 3, b"a", b"{not json", ()),  # no header: decoded, refused, dead-lettered
    ]
    try:
        result = consumer.apply_batch(batch)
        assert (result.applied, result.passed_over, result.dead_lettered) == (1, 2, 1)
        assert applied == [wanted.event_id]
        conn = db.connect(database_url)
        with db.transaction(conn) as cur:
            cur.execute("SELECT event_id FROM processed_events WHERE consumer = 'picky'")
            assert [r[0] for r in cur.fetchall()] == [wanted.event_id]
        conn.close()
        dead = read_whole_topic(kafka_bootstrap, f"{topic}.dlq")
        assert [dict(m.headers)["dlq_source_offset"] for m in dead] == [b"3"]  # the one with no header
        assert dead[0].value == b"" and dict(dead[0].headers).get("event_type") is None
        assert consumer.apply_batch(batch[:2]).passed_over == 2  # a batch of others only: nothing to do
    finally:
        sink.close()
