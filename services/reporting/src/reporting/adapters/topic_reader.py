"""Reading whole topics from the beginning to their current end (no consumer group, no commits)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

from kafka import KafkaConsumer, TopicPartition

from linkwell_runtime.consumer import Message


def _partitions(consumer: KafkaConsumer, topic: str, wait_seconds: float = 10.0) -> set[int]:
    """The topic's partitions. An unknown topic is an error, never an empty history (kafka-python 2.3
    answers an empty set, not None, until the broker's metadata names the topic: a topic created a
    moment ago is asked for again until the deadline)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        numbers = consumer.partitions_for_topic(topic)
        if numbers:
            return set(numbers)
        if time.monotonic() > deadline:
            raise LookupError(f"topic {topic!r} does not exist")
        consumer.topics()  # fetches the broker's metadata again
        time.sleep(0.2)


def count_to_end(bootstrap: str, topics: Sequence[str]) -> int:
    """How many messages `read_to_end` would read now: every partition's end offset minus its beginning."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","), enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in sorted(_partitions(consumer, t))]
        first, end = consumer.beginning_offsets(partitions), consumer.end_offsets(partitions)
        return sum(end[tp] - first[tp] for tp in partitions)
    finally:
        consumer.close()


def read_to_end(bootstrap: str, topics: Sequence[str], batch_size: int = 1000) -> Iterator[list[Message]]:
    """Batches of messages, every partition of every topic up to the end offsets seen at the start.
    Each partition's order is kept (that is each key's order, which is all the handlers rely on)."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        enable_auto_commit=False,
        group_id=None,
        max_partition_fetch_bytes=4 * 1024 * 1024,  # whole batches in few fetches (a replay, not a live tail)
        fetch_max_bytes=64 * 1024 * 1024,
    )
    try:
        partitions = []
        for topic in topics:
            partitions += [TopicPartition(topic, p) for p in sorted(_partitions(consumer, topic))]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if consumer.position(tp) < end[tp]}
        while pending:
            batch: list[Message] = []
            for tp, records in consumer.poll(timeout_ms=500, max_records=batch_size).items():
                for r in records:
                    if r.offset < end[tp]:
                        batch.append(
                            Message(
                                r.topic,
                                r.partition,
                                r.offset,
                                r.key,
                                r.value,
                                tuple((k, bytes(v)) for k, v in (r.headers or ())),
                            )
                        )
                if consumer.position(tp) >= end[tp]:
                    pending.discard(tp)
                    consumer.pause(tp)
            pending = {tp for tp in pending if consumer.position(tp) < end[tp]}
            if batch:
                yield batch
    finally:
        consumer.close()
