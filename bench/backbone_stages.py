"""The pipeline stages, driven only through the runtime's real code: eventstore.append, the relay
process (`python -m linkwell_runtime.relay`) and the faust worker (bench/backbone_consumer.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from backbone_consumer import SCHEMA as CONSUMER_SCHEMA
from backbone_infra import BenchFailure, Infra, query, wait_for
from tqdm import tqdm

from contracts import Envelope, new_event_id
from linkwell_runtime import db, eventstore, migrations


@dataclass(frozen=True)
class Settings:
    events: int
    tx_size: int
    aggregates: int
    batch_size: int

    @property
    def timeout(self) -> float:
        """Deadline for a drain: generous (a 500 ev/s floor), so only a real stall fails."""
        return 60 + self.events / 500


def prepare(dsn: str) -> None:
    migrations.migrate(dsn, migrations.sources(None))  # the runtime's tables
    conn = db.connect(dsn)
    with db.transaction(conn) as cur:
        cur.execute(CONSUMER_SCHEMA)
    conn.close()


def envelopes(n: int, aggregates: int, stem: str = "agg") -> list[Envelope]:
    """Event i is version i // aggregates + 1 of aggregate i % aggregates: every transaction of
    consecutive events touches distinct aggregates, and keys spread over all partitions."""
    now = datetime.now(UTC)
    return [
        Envelope(
            event_id=new_event_id(),
            event_type="BenchRecorded",
            schema_version=1,
            aggregate_type="bench",
            aggregate_id=f"{stem}-{i % aggregates}",
            aggregate_version=i // aggregates + 1,
            occurred_at=now,
            recorded_at=now,
            producer="bench",
            payload={"amount": i, "note": "backbone throughput bench"},
        )
        for i in range(n)
    ]


def append_all(dsn: str, events: list[Envelope], topic: str, tx_size: int, desc: str) -> float:
    """Append in transactions of `tx_size` (events + outbox, as a service would); returns seconds."""
    conn = db.connect(dsn)
    try:
        start = time.monotonic()
        for i in tqdm(range(0, len(events), tx_size), desc=desc, unit="tx", leave=False):
            with db.transaction(conn) as cur:
                eventstore.append(cur, events[i : i + tx_size], topic)
        return time.monotonic() - start
    finally:
        conn.close()


def count_published(dsn: str) -> int:
    return query(dsn, "SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")[0][0]


def count_applied(dsn: str, stem: str = "agg") -> int:
    return query(dsn, "SELECT count(*) FROM bench_effects WHERE aggregate_id LIKE %s", (f"{stem}-%",))[0][0]


def verify(dsn: str, events: list[Envelope]) -> None:
    """Exactly the appended events were applied, each once; raise BenchFailure otherwise."""
    rows = query(dsn, "SELECT event_id, count(*) FROM bench_effects WHERE aggregate_id LIKE 'agg-%' GROUP BY event_id")
    applied = dict(rows)
    expected = {e.event_id for e in events}
    twice = sum(1 for n in applied.values() if n != 1)
    missing, extra = len(expected - applied.keys()), len(applied.keys() - expected)
    if twice or missing or extra or len(applied) != len(events):
        raise BenchFailure(
            f"applied {len(applied)} distinct of {len(events)}: {missing} missing,"
            f" {extra} unknown, {twice} applied more than once"
        )


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def isolated(infra: Infra, cfg: Settings) -> dict:
    """Each stage alone on a pre-filled input, so the bottleneck is visible: append → a full
    outbox; the relay drains it → a full topic; the consumer (relay stopped) drains that."""
    dsn, topic = infra.database("stages"), infra.topic("stages")
    prepare(dsn)
    events = envelopes(cfg.events, cfg.aggregates)
    append_s = append_all(dsn, events, topic, cfg.tx_size, "append (alone)")
    sizes = query(dsn, "SELECT avg(octet_length(message)), avg(octet_length(message_key)) FROM outbox")[0]

    relay = infra.relay(dsn)
    first, done, n0 = wait_for(
        lambda: count_published(dsn), cfg.events, desc="relay (alone)", timeout=cfg.timeout, processes=(relay,)
    )
    relay_started = first - infra.started_at[relay]
    infra.stop(relay)

    consumer = infra.consumer(dsn, topic, f"bench-{infra.run_id}-stages", cfg.batch_size)
    c_first, c_done, c_n0 = wait_for(
        lambda: count_applied(dsn), cfg.events, desc="consumer (alone)", timeout=cfg.timeout, processes=(consumer,)
    )
    consumer_started = c_first - infra.started_at[consumer]
    infra.stop(consumer)
    verify(dsn, events)
    return {
        "append_eps": rate(cfg.events, append_s),
        "relay_eps": rate(cfg.events - n0, done - first),
        "consumer_eps": rate(cfg.events - c_n0, c_done - c_first),
        "relay_startup_s": relay_started,
        "consumer_startup_s": consumer_started,
        "mean_message_bytes": float(sizes[0]),
        "mean_key_bytes": float(sizes[1]),
        "dsn": dsn,
    }


def end_to_end(infra: Infra, cfg: Settings) -> dict:
    """Relay and consumer already running and warm; the clock runs from the first append to the
    last event applied (all three share the 2 cores, as they would in production)."""
    dsn, topic = infra.database("e2e"), infra.topic("e2e")
    prepare(dsn)
    events = envelopes(cfg.events, cfg.aggregates)
    relay = infra.relay(dsn)
    consumer = infra.consumer(dsn, topic, f"bench-{infra.run_id}-e2e", cfg.batch_size)
    # One warm-up event (its own aggregate, not counted) so the group has joined before the clock.
    append_all(dsn, envelopes(1, 1, stem="warmup"), topic, 1, "warm-up")
    wait_for(lambda: count_applied(dsn, "warmup"), 1, desc="warm-up", timeout=120, processes=(relay, consumer))

    start = time.monotonic()
    append_s = append_all(dsn, events, topic, cfg.tx_size, "append (e2e)")
    _, done, _ = wait_for(
        lambda: count_applied(dsn), cfg.events, desc="applied (e2e)", timeout=cfg.timeout, processes=(relay, consumer)
    )
    elapsed = done - start
    infra.stop(relay)
    infra.stop(consumer)
    verify(dsn, events)
    return {
        "e2e_eps": rate(cfg.events, elapsed),
        "e2e_seconds": elapsed,
        "append_under_load_eps": rate(cfg.events, append_s),
    }
