"""A faust-streaming worker that feeds topics to an IdempotentConsumer in batches.

Thin on purpose: the agent only turns faust events into Messages and hands each batch to the
consumer in a thread (psycopg2 blocks). An offset is released for commit only after its batch has
been applied (an extra reference on each message), and the applier never raises, so committed
offsets never pass an unapplied event.

A second agent, in the same consumer group, reads the retry requests on the ops topic
(`RETRY_TOPIC`) and hands each to linkwell_runtime.retry, which applies the record it names through
the same consumer; one lock lets one batch or one request at a time use the consumer's connection.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import faust
from faust.types import TP

from linkwell_runtime import process_metrics
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.consumer import BatchHandler, Handler, IdempotentConsumer, Message, RecordHandler
from linkwell_runtime.deadletter import KafkaDeadLetterSink
from linkwell_runtime.kafka_auth import faust_credentials
from linkwell_runtime.logs import logging_config
from linkwell_runtime.retry import RetryApplier, SourceReader
from linkwell_runtime.settings import PlatformSettings

log = logging.getLogger(__name__)


def build_app(
    name: str,
    topics: Sequence[str],
    handler: Handler | None,
    settings: PlatformSettings,
    *,
    batch_handler: BatchHandler | None = None,
    applies_to: Collection[str] | None = None,
    record_handler: RecordHandler | None = None,
    record_topics: Collection[str] = (),
) -> faust.App:
    """A faust app (web server off, no local tables) whose one agent applies batches idempotently.

    Give `handler` (one event at a time) or `batch_handler` (all new events of a batch at once);
    `applies_to` (event types) lets the others pass without being decoded; `record_handler` takes
    the records of `record_topics` (compacted: keyed records and tombstones, not events)."""
    datadir = Path(tempfile.gettempdir()) / "linkwell-faust" / name  # never litter the cwd
    datadir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        name,
        broker=[f"kafka://{server}" for server in settings.kafka_bootstrap_servers.split(",")],
        broker_credentials=faust_credentials(settings),  # SASL/SCRAM as this service's principal
        web_enabled=False,
        store="memory://",
        datadir=str(datadir),
        autodiscover=False,
        value_serializer="raw",
        key_serializer="raw",
        consumer_auto_offset_reset="earliest",
        topic_allow_declare=False,  # topics belong to the deployment, not to a consumer
        topic_disable_leader=True,  # no leader election topic: agents need none
        broker_session_timeout=settings.consumer_session_timeout_seconds,
        broker_heartbeat_interval=1.0,
        broker_rebalance_timeout=15.0,
        broker_commit_interval=1.0,
        stream_wait_empty=True,
    )
    dead_letters = KafkaDeadLetterSink(settings.kafka_bootstrap_servers, settings)
    consumer = IdempotentConsumer(
        name,
        settings.database_url,
        handler,
        dead_letters,
        batch_handler=batch_handler,
        applies_to=applies_to,
        record_handler=record_handler,
        record_topics=record_topics,
    )
    reader = SourceReader(settings.kafka_bootstrap_servers, settings)
    retries = RetryApplier(consumer, topics, reader, dead_letters)
    one_at_a_time = asyncio.Lock()  # created here, first awaited inside the worker's loop
    source = app.topic(*topics, value_type=bytes, key_type=bytes, allow_empty=True)
    requests = app.topic(settings.retry_topic, value_type=bytes, key_type=bytes, allow_empty=True)

    @app.agent(source, name=f"{name}-apply")
    async def apply_events(stream: faust.StreamT[bytes]) -> None:
        # Fetching the next batch overlaps applying this one. Each message holds one extra
        # reference until its batch is applied, so take_events' own ack does not free its offset.
        queue: asyncio.Queue[Sequence[faust.EventT[bytes]]] = asyncio.Queue(maxsize=1)
        applier = asyncio.ensure_future(_apply_in_order(consumer, stream, queue, one_at_a_time))
        try:
            # faust types an agent's stream as StreamT, which lacks take_events; it passes a faust.Stream
            batches = stream.take_events(settings.consumer_batch_size, within=settings.consumer_batch_seconds)  # type: ignore[attr-defined]
            async for events in batches:
                for event in events:
                    event.message.incref()
                await queue.put(events)
        finally:
            applier.cancel()

    @app.agent(requests, name=f"{name}-redrive")
    async def apply_retry_requests(stream: faust.StreamT[bytes]) -> None:
        # faust acks a request when the next is taken: its offset is committed only after it was acted on
        async for value in stream:
            await _retry_until_done(retries, bytes(value or b""), one_at_a_time)

    return app


async def _retry_until_done(retries: RetryApplier, value: bytes, lock: asyncio.Lock) -> None:
    backoff = Backoff()
    while True:
        try:
            async with lock:
                await asyncio.get_running_loop().run_in_executor(None, retries.handle, value)
            return
        except Exception:  # logged; raising would let faust commit a request not acted on
            log.exception("retry request failed; retrying")
            await asyncio.sleep(backoff.next_delay())


async def _apply_in_order(
    consumer: IdempotentConsumer,
    stream: faust.StreamT[bytes],
    queue: asyncio.Queue[Sequence[faust.EventT[bytes]]],
    lock: asyncio.Lock,
) -> None:
    """Apply batches one after another, in arrival order, and only then release their offsets."""
    while True:
        events = await queue.get()
        async with lock:
            await _apply_until_done(consumer, [_message(e) for e in events])
        for event in events:
            await stream.ack(event)
        if process_metrics.enabled():
            _measure_lag(consumer.name, stream, events)


def _measure_lag(name: str, stream: faust.StreamT[bytes], events: Sequence[faust.EventT[bytes]]) -> None:
    """`linkwell_consumer_lag` per partition of the batch: the partition's end (the consumer's
    highwater) minus the next offset to apply."""
    last: dict[tuple[str, int], int] = {}
    for event in events:
        last[(event.message.topic, event.message.partition)] = event.message.offset
    highwater = getattr(stream.app.consumer, "highwater", None)
    if highwater is None:
        return
    for (topic, partition), offset in last.items():
        end = highwater(TP(topic, partition))
        if end is not None:
            process_metrics.CONSUMER_LAG.labels(name, topic, str(partition)).set(max(0, end - offset - 1))


async def _apply_until_done(consumer: IdempotentConsumer, batch: list[Message]) -> None:
    backoff = Backoff()
    while True:
        try:
            started = time.perf_counter()
            result = await asyncio.get_running_loop().run_in_executor(None, consumer.apply_batch, batch)
            log.debug("%s: %s", consumer.name, result)
            process_metrics.CONSUMER_BATCH_SECONDS.labels(consumer.name).observe(time.perf_counter() - started)
            for outcome, count in (
                ("applied", result.applied),
                ("duplicate", result.duplicates),
                ("dead_lettered", result.dead_lettered),
                ("passed_over", result.passed_over),
            ):
                if count:
                    process_metrics.CONSUMER_EVENTS.labels(consumer.name, outcome).inc(count)
            return
        except Exception:  # logged; raising here would let faust ack an unapplied batch
            log.exception("%s: batch failed; retrying", consumer.name)
            await asyncio.sleep(backoff.next_delay())


def _message(event: faust.EventT[bytes]) -> Message:
    m = event.message
    raw = m.headers or ()
    headers = tuple((k, bytes(v)) for k, v in (raw.items() if isinstance(raw, Mapping) else raw))
    # `value` None: a tombstone (a compacted topic's; on an event topic the consumer dead-letters it)
    return Message(topic=m.topic, partition=m.partition, offset=m.offset, key=m.key, value=m.value, headers=headers)


def run_worker(app: faust.App, loglevel: str = "warning", *, service: str | None = None) -> None:
    """Run the worker in the foreground until SIGTERM/SIGINT; with `service`, its logs are JSON lines
    (linkwell_runtime.logs) naming that service."""
    config = None if service is None else logging_config(service, "consumer", loglevel)
    process_metrics.serve_from_env()
    worker = faust.Worker(app, loglevel=loglevel, quiet=True, logging_config=config)
    worker.execute_from_commandline()
