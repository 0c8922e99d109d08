"""`python -m reporting.entrypoints.rebuild`: rebuild every projection and fact from the topics.

Empties the derived tables (facts, commissioner rows, patients, funnel, caseloads, Stars, linkages,
the materialised ledger) and this consumer's `processed_events`, then reads the referral, engagement
and commissioner topics and the patients' pseudonyms (a compacted topic of records, not events: the
pseudonym -> patient mapping, `projections.apply_pseudonyms`, as the live consumer's record handler
keeps it) from the beginning up to their end offsets and applies them, in ONE
transaction (a failed rebuild leaves the tables as they were; readers wait for its commit, as for
every service's rebuild, `linkwell_runtime.replay`). Per batch of `REBUILD_BATCH` (5,000) events, as
the live consumer applies one (positions, `processed_events`, `projections.apply_events`), but with
COPY for the rows only inserted (`adapters/bulk_copy.py`: the processed ids, the facts, the hospital
activity rows, Stars, linkages) and the other tables' multi-row statements of `apply_events`; a batch
with an event applied before (a relay's re-send) records its ids the consumer's way (ON CONFLICT) and
applies only the new ones; a batch with an event that cannot be applied (or a Star or linkage id seen
before) goes event by event in savepoints, the bad one reported and skipped (the live worker
dead-lettered it). A thread reads and decodes the next batch while the database writes this one. The
tables' secondary indexes are dropped at the start and built once at the end (in the same
transaction). The materialised ledger is not kept batch by batch (the live consumer recomputes the
units each batch touches, which a replay would do again and again for every case and cohort): it is
recomputed once at the end, every unit from the beginning, as `--ledger-only` does. Its stored
history is canonical (the same whatever the batching; docs: README "The materialised ledger"), so
the result equals the live consumer's. Claims (stored documents), the
service's own event store, outbox and idempotency keys are not derived and are left alone. Stop
`reporting-consumer` first; start it again afterwards (its committed offsets are past what was
rebuilt, and anything newer it applies).

The interface every service's rebuild has (`linkwell rebuild`): `total_events(settings)`, and
`rebuild(settings, progress)` with `progress(n)` called after each batch of n events applied; run as a
module it prints progress and the events/s on stderr, and the result on stdout.

`--ledger-only`: recompute only the materialised ledger (`ledger_lines`, `cohort_members`) from the
stored facts and rows, and mark it complete (a database whose inputs predate it).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import psycopg2.errors
import psycopg2.extras

from contracts import Envelope
from contracts.codec import ContractError, decode
from contracts.patient_pseudonyms import decode_record
from linkwell_runtime import db, positions
from linkwell_runtime.messages import Message
from reporting.adapters import bulk_copy, ledger_store, processed_events, projections
from reporting.adapters.topic_reader import count_to_end, read_to_end
from reporting.bootstrap import ReportingServices, bootstrap
from reporting.config import Settings
from reporting.service_layer.ledger_projection import refresh_everything

__all__ = ["Settings", "empty_derived_tables", "rebuild", "rebuild_ledger", "total_events"]

log = logging.getLogger("reporting.rebuild")

REBUILD_BATCH = 5000  # events per transaction: larger batches, fewer statements per event

Progress = Callable[[int], None]


def total_events(settings: Settings) -> int:
    """How many events a rebuild would read now (every consumed partition, beginning to end)."""
    return count_to_end(settings.kafka_bootstrap_servers, settings.consumed_topics, settings)


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


def rebuild(settings: Settings, progress: Progress | None = None) -> dict[str, int]:
    """Empty, replay every consumed topic in batches, then recompute the materialised ledger once,
    all in ONE transaction. Returns the counts and how long each part took."""
    services = bootstrap(settings)
    try:
        started = time.monotonic()
        counts = {"applied": 0, "duplicates": 0, "skipped": 0, "events": 0}
        with services.pool.transaction() as cur, _few_collections():
            _empty_in(cur, settings.consumer_name)
            indexes = bulk_copy.drop_secondary_indexes(cur, bulk_copy.BULK_TABLES)
            for batch, decoded in _read_ahead(settings):
                _apply_pseudonyms(cur, [m for m in batch if m.topic == settings.patient_pseudonyms_topic], counts)
                _apply(cur, settings.consumer_name, batch, decoded, counts)
                if progress is not None:
                    progress(len(batch))
            bulk_copy.create_indexes(cur, indexes)
            cur.execute(f"ANALYZE {', '.join(bulk_copy.BULK_TABLES)}")  # fresh statistics for the ledger's queries
            replayed = time.monotonic()
            lines = _recompute_ledger_in(cur, services)
        done = time.monotonic()
        return {
            **counts,
            "ledger_lines": lines,
            "replay_ms": round((replayed - started) * 1000),
            "ledger_ms": round((done - replayed) * 1000),
            "events_per_s": round(counts["events"] / max(done - started, 1e-9)),
        }
    finally:
        services.close()


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """The replay allocates millions of short-lived objects (records, envelopes, payloads, COPY lines)
    beside a large heap that lives as long as the process (modules, classes, the pool): with the
    default thresholds the collector walks that heap again and again. Here what exists at the start
    is frozen out of collection and the youngest generation collected every 50,000 allocations
    instead of 700; both are put back afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _empty_in(cur: Any, consumer: str) -> None:
    projections.empty_derived_tables(cur)
    processed_events.forget_processed(cur, consumer)
    projections.mark_ledger_incomplete(cur)


Decoded = list[tuple[Message, Envelope | ContractError, Any]]


def _read_ahead(settings: Settings) -> Iterator[tuple[list[Message], Decoded]]:
    """The topics' batches, read and decoded by a thread one batch ahead: Kafka's fetches and the
    decoding overlap the database's work on the batch before (the GIL is released while PostgreSQL
    writes)."""
    ready: queue.Queue[tuple[list[Message], Decoded] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in read_to_end(
                settings.kafka_bootstrap_servers, settings.consumed_topics, REBUILD_BATCH, settings
            ):
                if stop.is_set():
                    return
                events = [m for m in batch if m.topic != settings.patient_pseudonyms_topic]  # records: not events
                ready.put((batch, [(m, *_decoded(m)) for m in events]))
            ready.put(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
            ready.put(exc)

    reader = threading.Thread(target=read, name="rebuild-reader", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            ready.get_nowait()  # unblock a reader waiting to put
        reader.join(timeout=30)


def _decoded(message: Message) -> tuple[Envelope | ContractError, Any]:
    try:
        if message.value is None:
            raise ContractError("a tombstone (null value) on an event topic")
        return decode(message.value)
    except ContractError as exc:
        return exc, None


def _apply_pseudonyms(cur: Any, records: Sequence[Message], counts: dict[str, int]) -> None:
    """The batch's pseudonym records, as the live consumer's record handler applies them (a record that
    is not one is reported and skipped: the live worker dead-lettered it)."""
    decoded = []
    for record in records:
        try:
            decoded.append(decode_record(record.key, record.value))
        except ContractError as exc:
            _skip(counts, f"undecodable: {exc}")
    projections.apply_pseudonyms(cur, decoded)
    counts["applied"] += len(decoded)


def _apply(cur: Any, consumer: str, batch: Sequence[Message], decoded: Decoded, counts: dict[str, int]) -> None:
    """One batch as the live consumer would apply it (positions, processed ids, facts, projections),
    with COPY for the bulk of it; the consumer's own way when a batch holds an event seen before (a
    re-send) or one that cannot be applied (reported and skipped, as the live worker dead-lettered it).
    `decoded`: the batch's events (its pseudonym records are applied apart)."""
    counts["events"] += len(batch)
    positions.record(cur, consumer, batch)
    items: dict[Any, tuple[Message, Envelope, Any]] = {}
    for message, envelope, payload in decoded:
        if isinstance(envelope, ContractError):
            _skip(counts, f"undecodable: {envelope}")
            continue
        if envelope.event_id in items:
            counts["duplicates"] += 1
        else:
            items[envelope.event_id] = (message, envelope, payload)
    todo = list(items.values())
    cur.execute("SAVEPOINT batch")
    try:
        bulk_copy.copy_processed(cur, consumer, [(m, e) for m, e, _ in todo])
    except psycopg2.errors.UniqueViolation:  # some were applied before (re-sent): only the others
        cur.execute("ROLLBACK TO SAVEPOINT batch")
        fresh = _record_fresh(cur, consumer, todo)
        counts["duplicates"] += len(todo) - len(fresh)
        todo = [item for item in todo if item[1].event_id in fresh]
    events = [(e, p) for _, e, p in todo]
    try:
        bulk_copy.copy_inserts(cur, events)
        projections.apply_events(cur, events, copied=True)
    except db.TRANSIENT_ERRORS:
        raise
    except Exception:  # noqa: BLE001 - some event cannot be applied: find it one by one
        cur.execute("ROLLBACK TO SAVEPOINT batch")
        _one_by_one(cur, consumer, todo, counts)
        return
    cur.execute("RELEASE SAVEPOINT batch")
    counts["applied"] += len(todo)


def _record_fresh(cur: Any, consumer: str, todo: Sequence[tuple[Message, Envelope, Any]]) -> set[Any]:
    """Record the batch's ids as the live consumer does; those not recorded before."""
    rows = psycopg2.extras.execute_values(
        cur,
        "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
        " VALUES %s ON CONFLICT DO NOTHING RETURNING event_id",
        [(consumer, e.event_id, m.topic, m.partition, m.offset) for m, e, _ in todo],
        page_size=len(todo) or 1,
        fetch=True,
    )
    return {row[0] for row in rows}


def _one_by_one(cur: Any, consumer: str, todo: Sequence[tuple[Message, Envelope, Any]], counts: dict[str, int]) -> None:
    """The live consumer's slow path: each event in its own savepoint, recorded with ON CONFLICT (one
    applied before is a duplicate), applied through `apply_events` with its INSERTs."""
    for message, envelope, payload in todo:
        cur.execute("SAVEPOINT event")
        try:
            cur.execute(
                "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING event_id",
                (consumer, envelope.event_id, message.topic, message.partition, message.offset),
            )
            if cur.fetchone() is None:
                counts["duplicates"] += 1
            else:
                projections.apply_events(cur, [(envelope, payload)])
                counts["applied"] += 1
            cur.execute("RELEASE SAVEPOINT event")
        except db.TRANSIENT_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - this event's, not the batch's
            cur.execute("ROLLBACK TO SAVEPOINT event")
            _skip(counts, f"{type(exc).__name__}: {exc}")


def _skip(counts: dict[str, int], reason: str) -> None:
    """The live worker already dead-lettered it; a rebuild only reports it."""
    counts["skipped"] += 1
    log.warning("skipped %s", reason)


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
        return _recompute_ledger_in(cur, services)


def _recompute_ledger_in(cur: Any, services: ReportingServices) -> int:
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
