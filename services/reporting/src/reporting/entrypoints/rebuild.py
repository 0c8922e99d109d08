"""`python -m reporting.entrypoints.rebuild`: rebuild every projection and fact from the topics.

Empties the derived tables (facts, commissioner rows, patients, funnel, caseloads, Stars, linkages,
the materialised ledger) and this consumer's `processed_events`, then reads the referral, engagement
and commissioner topics from the beginning up to their end offsets and applies them with the SAME
idempotent consumer and table code as the live worker, in batches of `REBUILD_BATCH` (5,000) events:
multi-row statements per table per batch, not a statement per event. The materialised ledger is not
kept batch by batch (the live consumer recomputes the units each batch touches, which a replay would
do again and again for every case and cohort): it is recomputed once at the end, every unit from the
beginning, as `--ledger-only` does. Its stored history is canonical (the same whatever the batching;
docs: README "The materialised ledger"), so the result equals the live consumer's; until it is done
`ledger_inputs.lines_ready` is false and the API answers from the recompute. Claims (stored
documents), the service's own event store, outbox and idempotency keys are not derived and are left
alone. Stop `reporting-consumer` first; start it again afterwards (its committed offsets are past
what was rebuilt, and anything newer it applies).

The interface every service's rebuild has (`linkwell rebuild`): `total_events(settings)`, and
`rebuild(settings, progress)` with `progress(n)` called after each batch of n events applied; run as a
module it prints progress and the events/s on stderr, and the result on stdout.

`--ledger-only`: recompute only the materialised ledger (`ledger_lines`, `cohort_members`) from the
stored facts and rows, and mark it complete (a database whose inputs predate it).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence

from linkwell_runtime.consumer import IdempotentConsumer
from linkwell_runtime.deadletter import DeadLetter
from linkwell_runtime.service import batch_of
from reporting.adapters import ledger_store, processed_events, projections
from reporting.adapters.topic_reader import count_to_end, read_to_end
from reporting.bootstrap import ReportingServices, bootstrap
from reporting.config import Settings
from reporting.service_layer.ledger_projection import refresh_everything
from reporting.service_layer.projections import apply_batch_without_ledger

__all__ = ["Settings", "empty_derived_tables", "rebuild", "rebuild_ledger", "total_events"]

log = logging.getLogger("reporting.rebuild")

REBUILD_BATCH = 5000  # events per transaction: larger batches, fewer statements per event

Progress = Callable[[int], None]


class LoggedDeadLetters:
    """The live worker already dead-lettered these; a rebuild only reports them."""

    def __init__(self) -> None:
        self.count = 0

    def send(self, letters: Sequence[DeadLetter]) -> None:
        self.count += len(letters)
        for letter in letters:
            log.warning("skipped %s", letter.reason)


def total_events(settings: Settings) -> int:
    """How many events a rebuild would read now (every consumed partition, beginning to end)."""
    return count_to_end(settings.kafka_bootstrap_servers, settings.consumed_topics)


def empty_derived_tables(settings: Settings) -> None:
    services = bootstrap(settings)
    try:
        _empty(services)
    finally:
        services.close()


def _empty(services: ReportingServices, *, ledger_last: bool = False) -> None:
    with services.pool.transaction() as cur:
        projections.empty_derived_tables(cur)
        processed_events.forget_processed(cur, services.settings.consumer_name)
        if ledger_last:
            projections.mark_ledger_incomplete(cur)


def rebuild(settings: Settings, progress: Progress | None = None) -> dict[str, int]:
    """Empty, replay every consumed topic in batches, then recompute the materialised ledger once.
    Returns the counts and how long each part took."""
    services = bootstrap(settings)
    try:
        started = time.monotonic()
        _empty(services, ledger_last=True)
        sink = LoggedDeadLetters()
        consumer = IdempotentConsumer(
            settings.consumer_name,
            settings.database_url,
            None,
            sink,
            batch_handler=batch_of(services, apply_batch_without_ledger),
        )
        applied = duplicates = read = 0
        try:
            for batch in read_to_end(settings.kafka_bootstrap_servers, settings.consumed_topics, REBUILD_BATCH):
                result = consumer.apply_batch(batch)
                applied, duplicates, read = applied + result.applied, duplicates + result.duplicates, read + len(batch)
                if progress is not None:
                    progress(len(batch))
        finally:
            consumer._close()
        replayed = time.monotonic()
        lines = _recompute_ledger(services)
        done = time.monotonic()
        return {
            "applied": applied,
            "duplicates": duplicates,
            "skipped": sink.count,
            "events": read,
            "ledger_lines": lines,
            "replay_ms": round((replayed - started) * 1000),
            "ledger_ms": round((done - replayed) * 1000),
            "events_per_s": round(read / max(done - started, 1e-9)),
        }
    finally:
        services.close()


def rebuild_ledger(settings: Settings) -> dict[str, int]:
    """Only the materialised ledger, from the facts already stored (`--ledger-only`): for a database
    whose inputs predate it (`ledger_inputs.lines_ready` false). Takes the projection's lock, so the
    live consumer may keep running."""
    services = bootstrap(settings)
    try:
        return {"ledger_lines": _recompute_ledger(services)}
    finally:
        services.close()


def _recompute_ledger(services: ReportingServices) -> int:
    with services.pool.transaction() as cur:
        ledger_store.lock(cur)
        refresh_everything(cur, services.rulebooks)
        cur.execute("SELECT count(*) FROM ledger_lines")
        [(lines,)] = cur.fetchall()
        return int(lines)


def _printed_progress(total: int) -> Progress:
    """A line on stderr every 5 s: events applied of the total, and the rate so far."""
    state = {"done": 0, "started": time.monotonic(), "shown": time.monotonic()}

    def step(n: int) -> None:
        state["done"] += n
        now = time.monotonic()
        if now - state["shown"] >= 5 or state["done"] >= total:
            rate = state["done"] / max(now - state["started"], 1e-9)
            print(f"rebuild: {state['done']:,}/{total:,} events applied, {rate:,.0f} ev/s", file=sys.stderr)
            state["shown"] = now

    return step


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    settings = Settings()
    if "--ledger-only" in sys.argv[1:]:
        print(rebuild_ledger(settings))
        return
    result = rebuild(settings, _printed_progress(total_events(settings)))
    print(
        f"rebuild: {result['events']:,} events in {(result['replay_ms'] + result['ledger_ms']) / 1000:.1f} s,"
        f" {result['events_per_s']:,} ev/s (replay {result['replay_ms'] / 1000:.1f} s,"
        f" ledger {result['ledger_ms'] / 1000:.1f} s)",
        file=sys.stderr,
    )
    print(result)


if __name__ == "__main__":
    main()
