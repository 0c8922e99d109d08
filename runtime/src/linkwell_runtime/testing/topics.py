"""Reading a topic whole in tests: from the beginning to each partition's current end."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kafka.consumer.fetcher import ConsumerRecord  # kafka-python ships no types: Any to mypy


def read_whole_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record on the topic, from the beginning to the current end of each partition."""
    from kafka import KafkaConsumer, TopicPartition

    from linkwell_runtime.kafka_auth import connection

    consumer = KafkaConsumer(**connection(bootstrap), enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            records.extend(r for batch in consumer.poll(500).values() for r in batch)
        return records
    finally:
        consumer.close()
