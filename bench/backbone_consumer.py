"""The bench's consumer process: the runtime's faust worker with a batch handler (one multi-row
INSERT per batch, the way projections are meant to be written; BENCH_HANDLER=event for one row
per event).

Run by bench/backbone.py as a subprocess (env: DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, TOPIC,
CONSUMER_NAME, CONSUMER_BATCH_SIZE), exactly like runtime/tests/integration/consumer_process.py.
"""

import os

import psycopg2.extras

from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.worker import build_app, run_worker

# No unique key on purpose: a double apply would show up as a second row.
SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_effects (
    id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL, aggregate_id TEXT NOT NULL,
    aggregate_version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
"""


def record_effect(cur, envelope, payload) -> None:
    cur.execute(
        "INSERT INTO bench_effects (event_id, aggregate_id, aggregate_version) VALUES (%s, %s, %s)",
        (envelope.event_id, envelope.aggregate_id, envelope.aggregate_version),
    )


def record_effects(cur, items) -> None:
    psycopg2.extras.execute_values(
        cur,
        "INSERT INTO bench_effects (event_id, aggregate_id, aggregate_version) VALUES %s",
        [(i.envelope.event_id, i.envelope.aggregate_id, i.envelope.aggregate_version) for i in items],
        page_size=1000,
    )


if __name__ == "__main__":
    name, topics, settings = os.environ["CONSUMER_NAME"], [os.environ["TOPIC"]], PlatformSettings()
    if os.environ.get("BENCH_HANDLER", "batch") == "batch":
        app = build_app(name, topics, None, settings, batch_handler=record_effects)
    else:
        app = build_app(name, topics, record_effect, settings)
    run_worker(app, loglevel=os.environ.get("LOGLEVEL", "warning"))
