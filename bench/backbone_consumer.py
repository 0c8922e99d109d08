"""The bench's consumer process: the runtime's faust worker with a one-row-per-event handler.

Run by bench/backbone.py as a subprocess (env: DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, TOPIC,
CONSUMER_NAME, CONSUMER_BATCH_SIZE), exactly like runtime/tests/integration/consumer_process.py.
"""
import os

from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.worker import build_app, run_worker

# No unique key on purpose: a double apply would show up as a second row.
SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_effects (
    id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL, aggregate_id TEXT NOT NULL,
    aggregate_version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
"""


def record_effect(cur, envelope, payload) -> None:
    cur.execute("INSERT INTO bench_effects (event_id, aggregate_id, aggregate_version) VALUES (%s, %s, %s)",
                (envelope.event_id, envelope.aggregate_id, envelope.aggregate_version))


if __name__ == "__main__":
    app = build_app(os.environ["CONSUMER_NAME"], [os.environ["TOPIC"]], record_effect, PlatformSettings())
    run_worker(app, loglevel=os.environ.get("LOGLEVEL", "warning"))
