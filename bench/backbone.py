"""Backbone throughput: append → outbox → relay → Kafka → idempotent consumer → PostgreSQL.

    .venv/bin/python bench/backbone.py        (make bench)

Runs the runtime's real code only (eventstore.append, `python -m linkwell_runtime.relay`, the faust
worker), measures each stage alone and the whole pipeline end to end, and sets them against what
the same machine does without our code: Kafka's ProducerPerformance and a PostgreSQL COPY. Prints a
table and merges a "backbone" section into bench/results.json. Exits 1 if any event was lost or
applied twice.

Environment: BENCH_EVENTS (100000), BENCH_TX_SIZE (500), BENCH_AGGREGATES (1000),
CONSUMER_BATCH_SIZE (500), KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:19092),
DATABASE_URL (postgresql://postgres:postgres@127.0.0.1:25432/postgres; a superuser URL: the bench
creates and drops its own bench_* databases).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from backbone_ceilings import kafka_producer_perf, postgres_copy
from backbone_infra import BenchFailure, Infra
from backbone_stages import Settings, end_to_end, envelopes, isolated

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGET_EPS = 20_000  # the target for the whole pipeline on 2 cores


def settings_from_env() -> Settings:
    return Settings(
        events=int(os.environ.get("BENCH_EVENTS", 100_000)),
        tx_size=int(os.environ.get("BENCH_TX_SIZE", 500)),
        aggregates=int(os.environ.get("BENCH_AGGREGATES", 1000)),
        batch_size=int(os.environ.get("CONSUMER_BATCH_SIZE", 500)),
    )


def measure(infra: Infra, cfg: Settings) -> dict:
    stages = isolated(infra, cfg)
    e2e = end_to_end(infra, cfg)
    kafka = kafka_producer_perf(infra.bootstrap, infra.topic("perf"), cfg.events, round(stages["mean_message_bytes"]))
    pg = postgres_copy(stages.pop("dsn"), envelopes(cfg.events, cfg.aggregates))
    return {"stages": stages, "end_to_end": e2e, "kafka_ceiling": kafka, "postgres_ceiling": pg}


def table(r: dict) -> list[tuple[str, float, float, str]]:
    """(stage, events/s, ceiling, ceiling's source) rows."""
    s, e = r["stages"], r["end_to_end"]
    kafka, pg = r["kafka_ceiling"]["records_per_sec"], r["postgres_ceiling"]["rows_per_sec"]
    return [
        ("append (eventstore.append, alone)", s["append_eps"], pg, "pg COPY"),
        ("relay (outbox -> Kafka, alone)", s["relay_eps"], kafka, "kafka perf"),
        ("consumer (Kafka -> PG, alone)", s["consumer_eps"], pg, "pg COPY"),
        ("append (during end-to-end)", e["append_under_load_eps"], pg, "pg COPY"),
        ("end-to-end (first append -> last applied)", e["e2e_eps"], min(kafka, pg), "min(kafka, pg)"),
        ("end-to-end vs the issue's target", e["e2e_eps"], TARGET_EPS, "target"),
    ]


def print_table(rows, r: dict, cfg: Settings) -> None:
    print(
        f"\nbackbone: {cfg.events:,} events, {cfg.tx_size} per append transaction, {cfg.aggregates} aggregates,"
        f" 6 partitions, consumer batch {cfg.batch_size}, handler {os.environ.get('BENCH_HANDLER', 'batch')}"
    )
    print(f"{'stage':<44} {'events/s':>10} {'ceiling':>10} {'(source)':<16} {'ratio':>6}")
    for stage, eps, ceiling, source in rows:
        print(f"{stage:<44} {eps:>10,.0f} {ceiling:>10,.0f} {'(' + source + ')':<16} {eps / ceiling:>6.2f}")
    k, p, s = r["kafka_ceiling"], r["postgres_ceiling"], r["stages"]
    print(
        f"kafka perf: {k['records']:,} x {k['record_size']} B, {k['mb_per_sec']} MB/s,"
        f" latency avg {k['avg_latency_ms']} ms / max {k['max_latency_ms']} ms (acks=all, idempotent)"
    )
    print(
        f"pg COPY: {p['table']} table like `events`, fsync={p['fsync']}, synchronous_commit="
        f"{p['synchronous_commit']} (the pipeline's tables are logged too, same cluster)"
    )
    print(
        f"start-up left out of stage rates: relay {s['relay_startup_s']:.1f}s,"
        f" consumer {s['consumer_startup_s']:.1f}s; end-to-end took {r['end_to_end']['e2e_seconds']:.1f}s"
    )


def save(r: dict, rows, cfg: Settings) -> None:
    """Merge our section into results.json, keeping other benches' sections."""
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data["backbone"] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": vars(cfg) | {"partitions": 6, "cores": os.cpu_count()},
        "verified_exactly_once": True,
        "table": [
            {
                "stage": st,
                "events_per_sec": round(eps),
                "ceiling": round(c),
                "ceiling_source": src,
                "ratio": round(eps / c, 3),
            }
            for st, eps, c, src in rows
        ],
        **r,
    }
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")


def main() -> int:
    cfg = settings_from_env()
    infra = Infra(
        os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:25432/postgres"),
        os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
    )
    started = time.monotonic()
    try:
        results = measure(infra, cfg)
    except BenchFailure as exc:
        print(f"bench FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        infra.close()  # always: subprocesses, bench databases, bench topics
    rows = table(results)
    print_table(rows, results, cfg)
    save(results, rows, cfg)
    print(
        f"({time.monotonic() - started:.0f}s in all; results in {RESULTS.relative_to(Path.cwd())})"
        if RESULTS.is_relative_to(Path.cwd())
        else f"results in {RESULTS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
