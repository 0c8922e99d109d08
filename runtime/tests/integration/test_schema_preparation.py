"""Versioned migrations of a database (linkwell_runtime.migrations): processes starting together on a
fresh database take turns and each revision is applied once; a migrator waiting past its deadline is
refused; the version table says what is applied and what is pending."""

from __future__ import annotations

import threading
from collections import Counter
from importlib import resources

import psycopg2
import pytest

from linkwell_runtime import migrations
from linkwell_runtime.service import prepare_database
from linkwell_runtime.testing import cursor, query, scalar

RUNTIME = migrations.sources(None)
RUNTIME_REVISIONS = [m.id for m in migrations.revisions(RUNTIME)]  # runtime-0001-baseline, then the later ones


def test_many_processes_migrating_a_fresh_database_at_once_apply_each_revision_once(database_factory):
    for _ in range(3):  # the race is timing-dependent: several fresh databases
        dsn = database_factory()
        start, failures = threading.Barrier(8), []

        def prepare(dsn: str, start: threading.Barrier, failures: list[Exception]) -> None:
            try:
                start.wait()
                prepare_database(dsn, None)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)

        threads = [threading.Thread(target=prepare, args=(dsn, start, failures)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert failures == []
        assert (
            scalar(dsn, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('events', 'outbox')") == 2
        )
        runs = Counter(row[0] for row in query(dsn, "SELECT migration_id FROM _yoyo_log WHERE operation = 'apply'"))
        assert runs == dict.fromkeys(RUNTIME_REVISIONS, 1)
        assert [r.id for r in migrations.status(dsn, RUNTIME) if r.pending] == []


def test_a_fresh_database_shows_every_revision_pending_and_none_after_migrating(database_url):
    before = migrations.status(database_url, RUNTIME)
    assert [(r.id, r.pending) for r in before] == [(r, True) for r in RUNTIME_REVISIONS]
    assert RUNTIME_REVISIONS[0] == "runtime-0001-baseline"
    outcome = migrations.migrate(database_url, RUNTIME)
    assert (outcome.applied, outcome.adopted) == (RUNTIME_REVISIONS, [])
    assert all(not r.pending for r in migrations.status(database_url, RUNTIME))
    assert migrations.migrate(database_url, RUNTIME) == migrations.Outcome([], [])  # nothing left to do


def test_a_migrator_waiting_past_its_deadline_for_another_is_refused(database_url):
    holder = psycopg2.connect(database_url)
    holder.autocommit = True
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(hashtext(%s))", (migrations.LOCK_KEY,))
        with pytest.raises(migrations.MigrationLocked):
            migrations.migrate(database_url, RUNTIME, lock_wait_seconds=0.5)
        assert migrations.status(database_url, RUNTIME)[0].pending  # nothing was applied
    finally:
        holder.close()  # the lock goes with the connection: nothing stale is left behind
    assert migrations.migrate(database_url, RUNTIME, lock_wait_seconds=5).applied == RUNTIME_REVISIONS


def test_every_source_numbers_its_own_revisions_from_a_baseline_so_ids_cannot_collide():
    every: list[str] = []
    for source in ("runtime", "referral", "engagement", "directory", "reporting"):
        package = migrations.RUNTIME if source == "runtime" else f"{source}.adapters.sql"
        ids = [m.id for m in migrations.revisions([package]) if m.source_dir.endswith(f"{package}:migrations")]
        assert ids[0] == f"{source}-0001-baseline"
        assert [int(i.split("-")[1]) for i in ids] == list(range(1, len(ids) + 1)), ids
        every += ids
    assert len(every) == len(set(every))


@pytest.mark.parametrize("service", ["referral", "engagement", "directory", "reporting"])
def test_a_database_made_before_migrations_is_adopted_at_revision_1_and_a_half_made_one_completed(
    service, database_factory
):
    package = f"{service}.adapters.sql"
    made_before = database_factory()
    with cursor(made_before) as cur:  # what every start did before versioned migrations
        cur.execute(_baseline(migrations.RUNTIME, "runtime"))
        cur.execute(_baseline(package, service))
        cur.execute(
            "INSERT INTO outbox (event_id, topic, message_key, message) VALUES (gen_random_uuid(), 't', '', '')"
        )
    outcome = migrations.migrate(made_before, migrations.sources(package))
    assert outcome.adopted == ["runtime-0001-baseline", f"{service}-0001-baseline"]
    assert not {"runtime-0001-baseline", f"{service}-0001-baseline"} & set(outcome.applied)
    assert scalar(made_before, "SELECT count(*) FROM outbox") == 1
    assert all(not r.pending for r in migrations.status(made_before, migrations.sources(package)))

    runtime_only = database_factory()  # the runtime's tables there, the service's not yet
    with cursor(runtime_only) as cur:
        cur.execute(_baseline(migrations.RUNTIME, "runtime"))
    outcome = migrations.migrate(runtime_only, migrations.sources(package))
    assert outcome.adopted == ["runtime-0001-baseline"]
    assert f"{service}-0001-baseline" in outcome.applied and "runtime-0001-baseline" not in outcome.applied


def _baseline(package: str, source: str) -> str:
    return resources.files(package).joinpath(f"migrations/{source}-0001-baseline.sql").read_text()
