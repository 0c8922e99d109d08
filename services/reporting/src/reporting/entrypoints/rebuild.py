"""`python -m reporting.entrypoints.rebuild`: rebuild every projection and fact from the topics.

Empties the derived tables (facts, commissioner rows, patients, funnel, caseloads, Stars, linkages)
and this consumer's `processed_events`, then reads the referral, engagement and commissioner topics
from the beginning up to their current end offsets and applies them with the SAME batch handler and
idempotent consumer as the live worker. Claims (stored documents), the service's own event store,
outbox and idempotency keys are not derived and are left alone. Stop `reporting-consumer` first; start
it again afterwards (its committed offsets are past what was rebuilt, and anything newer it applies).
"""
from __future__ import annotations

import logging
import sys

from linkwell_runtime import db
from linkwell_runtime.consumer import IdempotentConsumer
from reporting.adapters.projections import DERIVED_TABLES, reset_ledger_inputs
from reporting.adapters.topic_reader import read_to_end
from reporting.bootstrap import prepare_database
from reporting.config import Settings
from reporting.entrypoints.consumer import apply_batch

log = logging.getLogger("reporting.rebuild")


class _LogDeadLetters:
    """The live worker already dead-lettered these; a rebuild only reports them."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, letters) -> None:
        self.count += len(letters)
        for letter in letters:
            log.warning("skipped %s", letter.reason)


def empty_derived_tables(settings: Settings) -> None:
    conn = db.connect(settings.database_url)
    try:
        with db.transaction(conn) as cur:
            cur.execute(f"TRUNCATE {', '.join(DERIVED_TABLES)}")
            reset_ledger_inputs(cur)
            cur.execute("DELETE FROM processed_events WHERE consumer = %s", (settings.consumer_name,))
    finally:
        conn.close()


def rebuild(settings: Settings) -> dict[str, int]:
    prepare_database(settings.database_url)
    empty_derived_tables(settings)
    sink = _LogDeadLetters()
    consumer = IdempotentConsumer(settings.consumer_name, settings.database_url, None, sink, batch_handler=apply_batch)
    applied = duplicates = 0
    for batch in read_to_end(settings.kafka_bootstrap_servers, settings.consumed_topics, settings.consumer_batch_size):
        result = consumer.apply_batch(batch)
        applied, duplicates = applied + result.applied, duplicates + result.duplicates
    return {"applied": applied, "duplicates": duplicates, "skipped": sink.count}


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(rebuild(Settings()))


if __name__ == "__main__":
    main()
