"""Each consumer's applied position per topic partition (linkwell_runtime.positions): moved by every
batch for every message, never backwards, and seeded from the group's committed offsets for a
database upgraded while its consumer was already far along."""

from __future__ import annotations

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata

from linkwell_runtime import positions
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.messages import Message
from linkwell_runtime.service import prepare_database
from linkwell_runtime.testing import cursor


def test_positions_move_past_every_message_and_never_backwards(database_url):
    prepare_database(database_url, None)
    with cursor(database_url) as cur:
        positions.record(
            cur, "c", [Message("t", 0, 4, b"k", b"v"), Message("t", 0, 7, b"k", b"v"), Message("t", 1, 2, None, b"")]
        )
        positions.record(cur, "c", [Message("t", 0, 5, b"k", b"v")])  # a redelivered older batch
        assert positions.applied(cur, "c") == {("t", 0): 8, ("t", 1): 3}


def test_a_partition_without_a_position_starts_at_the_groups_committed_offset(
    database_url, kafka_bootstrap, topic_factory
):
    prepare_database(database_url, None)
    topic = topic_factory("positions", 2)
    producer = KafkaProducer(**connection(kafka_bootstrap), acks="all")
    for n in range(5):
        producer.send(topic, value=b"x", partition=n % 2)
    producer.flush()
    producer.close()
    group = KafkaConsumer(**connection(kafka_bootstrap), group_id="seeded", enable_auto_commit=False)
    try:
        group.commit(
            {
                TopicPartition(topic, 0): OffsetAndMetadata(3, "", -1),
                TopicPartition(topic, 1): OffsetAndMetadata(1, "", -1),
            }
        )
    finally:
        group.close()
    with cursor(database_url) as cur:
        positions.record(cur, "seeded", [Message(topic, 1, 1, None, b"")])  # partition 1 already has one: kept

    assert positions.seed_from_group(database_url, "seeded", kafka_bootstrap, [topic]) == 1
    assert positions.seed_from_group(database_url, "seeded", kafka_bootstrap, [topic]) == 0  # once
    with cursor(database_url) as cur:
        applied = positions.applied(cur, "seeded")
    assert applied == {(topic, 0): 3, (topic, 1): 2}
    behind = positions.compare(applied, positions.end_offsets(kafka_bootstrap, [topic]))
    assert [(p.partition, p.behind) for p in behind] == [(0, 0), (1, 0)]
