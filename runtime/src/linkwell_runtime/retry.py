"""A consumer's side of `linkwell dlq redrive`: it reads retry requests (contracts.retry_request) on
the ops topic in its own consumer group, and for each one naming its group fetches the named record
from its topic of record with its own principal and applies it through the same path as any message
(IdempotentConsumer.apply_batch: one transaction, the event applied at most once, dead-lettered again
if it fails again). Only then is the request's offset committed: a crash in between re-reads the
request, and the record already applied is a duplicate.

The operator never holds event content: the request only names a record, and the content always
comes from the source topic, which only its publisher may write. A request for a topic the group
does not consume is skipped with the reason in the log; a request for a record that is not there is
skipped with the reason beside the letter (`dlq list` shows it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from contracts.retry_request import RetryRequest
from contracts.topics import dlq
from linkwell_runtime import failpoints
from linkwell_runtime.consumer import BatchResult, IdempotentConsumer
from linkwell_runtime.deadletter import KafkaDeadLetterSink, RedriveOutcome
from linkwell_runtime.kafka_auth import KafkaCredentials, connection
from linkwell_runtime.messages import Message

log = logging.getLogger(__name__)


class SourceReader:
    """Fetches single records from the topics a consumer reads: an assigned reader (no group, so it
    moves no offsets) with the consumer's own principal."""

    def __init__(self, bootstrap: str, credentials: KafkaCredentials | None = None) -> None:
        self._bootstrap, self._credentials = bootstrap, credentials
        self._reader: Any = None

    def fetch(self, topic: str, partition: int, offset: int, patience: float = 60.0) -> Message | None:
        """The record at `offset`, or None when the partition holds none there (never written, or
        expired: event topics keep every event, so only a deleted topic loses one)."""
        from kafka import TopicPartition

        reader = self._connected()
        tp = TopicPartition(topic, partition)
        if partition not in (reader.partitions_for_topic(topic) or ()):
            return None
        reader.assign([tp])
        if not reader.beginning_offsets([tp])[tp] <= offset < reader.end_offsets([tp])[tp]:
            return None
        reader.seek(tp, offset)
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            for r in reader.poll(timeout_ms=500, max_records=1).get(tp, []):
                if r.offset != offset:  # a compacted or transactional gap: the offset holds no record
                    return None
                headers = tuple((k, bytes(v)) for k, v in (r.headers or ()))
                return Message(r.topic, r.partition, r.offset, r.key, bytes(r.value or b""), headers)
        raise TimeoutError(f"{topic}[{partition}]@{offset} could not be read in {patience:.0f}s")

    def _connected(self) -> Any:
        if self._reader is None:
            from kafka import KafkaConsumer

            self._reader = KafkaConsumer(
                **connection(self._bootstrap, self._credentials), group_id=None, enable_auto_commit=False
            )
        return self._reader


class RetryApplier:
    """Acts on the retry requests for one consumer group (`consumer.name`)."""

    def __init__(
        self,
        consumer: IdempotentConsumer,
        consumed: Collection[str],
        reader: SourceReader,
        markers: KafkaDeadLetterSink,
    ) -> None:
        self._consumer, self._consumed = consumer, frozenset(consumed)
        self._reader, self._markers = reader, markers

    def handle(self, value: bytes) -> str | None:
        """Apply what the request names; returns what was done (None: a request for another group)."""
        try:
            request = RetryRequest.model_validate_json(value)
        except ValidationError as exc:
            log.warning("%s: unreadable retry request skipped (%d problems)", self._consumer.name, exc.error_count())
            return "skipped: unreadable request"
        if request.consumer_group != self._consumer.name:
            return None
        if request.topic not in self._consumed:
            outcome = f"skipped: {self._consumer.name} does not consume {request.topic}"
            log.warning(
                "%s: retry request for %s by %s %s",
                self._consumer.name,
                request.letter_id,
                request.requested_by,
                outcome,
            )
            return outcome
        message = self._reader.fetch(request.topic, request.partition, request.offset)
        if message is None:
            outcome = f"skipped: {request.topic}[{request.partition}] has no record at {request.offset}"
        else:
            failpoints.reach("retry.after_fetch")
            outcome = _described(self._consumer.apply_batch([message]))
            failpoints.reach("retry.after_apply")  # applied, the request not yet committed
        log.info(
            "%s: redrive of %s asked by %s: %s", self._consumer.name, request.letter_id, request.requested_by, outcome
        )
        self._mark(request, outcome)
        return outcome

    def _mark(self, request: RetryRequest, outcome: str) -> None:
        """Beside the letter, when the request names one of this topic's letters (the only dead-letter
        topics this principal may write)."""
        before, _, place = request.letter_id.partition(f"{dlq(request.topic)}:")
        partition, _, offset = place.partition(":")
        if before or not (partition.isdigit() and offset.isdigit()):
            return
        self._markers.mark_redriven(RedriveOutcome(request.topic, int(partition), int(offset), outcome))


def _described(result: BatchResult) -> str:
    if result.applied:
        return "applied"
    if result.duplicates:
        return "already applied: nothing done"
    if result.dead_lettered:
        return "failed again: dead-lettered again (see the new letter)"
    return "not an event type this consumer applies: nothing done"
