"""`python -m reporting.entrypoints.rebuild`: rebuild every projection and fact from the topics.

Empties the derived tables (facts, commissioner rows, patients, funnel, caseloads, Stars, linkages)
and this consumer's `processed_events`, then reads the referral, engagement and commissioner topics
from the beginning up to their current end offsets and applies them with the SAME batch handler and
idempotent consumer as the live worker. Claims (stored documents), the service's own event store,
outbox and idempotency keys are not derived and are left alone. Stop `reporting-consumer` first; start
it again afterwards (its committed offsets are past what was rebuilt, and anything newer it applies).

`--ledger-only`: recompute only the materialised ledger (`ledger_lines`, `cohort_members`) from the
stored facts and rows, and mark it complete (a database whose inputs predate it).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from linkwell_runtime.consumer import IdempotentConsumer
from linkwell_runtime.deadletter import DeadLetter
from linkwell_runtime.service import batch_of
from reporting.adapters import ledger_store, processed_events, projections
from reporting.adapters.topic_reader import read_to_end
from reporting.bootstrap import ReportingServices, bootstrap
from reporting.config import Settings
from reporting.service_layer.ledger_projection import refresh_everything
from reporting.service_layer.projections import apply_batch

log = logging.getLogger("reporting.rebuild")


class LoggedDeadLetters:
    """The live worker already dead-lettered these; a rebuild only reports them."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, letters: Sequence[DeadLetter]) -> None:
        self.count += len(letters)
        for letter in letters:
            log.warning("skipped %s", letter.reason)


def empty_derived_tables(settings: Settings) -> None:
    services = bootstrap(settings)
    try:
        _empty(services)
    finally:
        services.close()


def _empty(services: ReportingServices) -> None:
    with services.pool.transaction() as cur:
        projections.empty_derived_tables(cur)
        processed_events.forget_processed(cur, services.settings.consumer_name)


def rebuild(settings: Settings) -> dict[str, int]:
    services = bootstrap(settings)
    try:
        _empty(services)
        sink = LoggedDeadLetters()
        consumer = IdempotentConsumer(
            settings.consumer_name, settings.database_url, None, sink, batch_handler=batch_of(services, apply_batch)
        )
        applied = duplicates = 0
        for batch in read_to_end(
            settings.kafka_bootstrap_servers, settings.consumed_topics, settings.consumer_batch_size
        ):
            result = consumer.apply_batch(batch)
            applied, duplicates = applied + result.applied, duplicates + result.duplicates
        return {"applied": applied, "duplicates": duplicates, "skipped": sink.count}
    finally:
        services.close()


def rebuild_ledger(settings: Settings) -> dict[str, int]:
    """Only the materialised ledger, from the facts already stored (`--ledger-only`): for a database
    whose inputs predate it (`ledger_inputs.lines_ready` false). Takes the projection's lock, so the
    live consumer may keep running."""
    services = bootstrap(settings)
    try:
        with services.pool.transaction() as cur:
            ledger_store.lock(cur)
            refresh_everything(cur, services.rulebooks)
            cur.execute("SELECT count(*) FROM ledger_lines")
            [(lines,)] = cur.fetchall()
            return {"ledger_lines": int(lines)}
    finally:
        services.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(rebuild_ledger(Settings()) if "--ledger-only" in sys.argv[1:] else rebuild(Settings()))


if __name__ == "__main__":
    main()
