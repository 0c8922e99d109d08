"""Processes starting together on a fresh database all prepare its schema: they must take turns, not
fail (PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin)."""

from __future__ import annotations

import threading

from linkwell_runtime import db


def test_many_processes_preparing_a_fresh_database_at_once_all_succeed(database_factory):
    for _ in range(3):  # the race is timing-dependent: several fresh databases
        dsn = database_factory()
        start, failures = threading.Barrier(8), []

        def prepare(dsn: str, start: threading.Barrier, failures: list[Exception]) -> None:
            conn = db.connect(dsn)
            try:
                start.wait()
                db.apply_sql(conn, "eventstore", "consumer", "idempotency")
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                failures.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=prepare, args=(dsn, start, failures)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert failures == []
        conn = db.connect(dsn)
        with db.transaction(conn) as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('events', 'outbox')")
            assert cur.fetchone() == (2,)
        conn.close()
