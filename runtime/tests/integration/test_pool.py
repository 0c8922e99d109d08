"""The HTTP connection pool on a real database: a burst larger than the pool waits, it does not fail."""

import contextlib
from concurrent.futures import ThreadPoolExecutor

import psycopg2.errors

from linkwell_runtime.db import TRANSIENT_ERRORS, Pool


def test_more_concurrent_transactions_than_connections_all_succeed(database_url):
    pool = Pool(database_url, maxconn=2)

    def work(i: int) -> int:
        with pool.transaction() as cur:
            cur.execute("SELECT pg_sleep(0.05), %s", (i,))
            return cur.fetchone()[1]

    try:
        with ThreadPoolExecutor(max_workers=12) as threads:
            assert sorted(threads.map(work, range(24))) == list(range(24))
    finally:
        pool.close()


def test_connections_are_reused_across_transactions_and_a_broken_one_is_replaced(database_url):
    pool = Pool(database_url, maxconn=3)

    def backend() -> int:
        with pool.transaction() as cur:
            cur.execute("SELECT pg_backend_pid()")
            return cur.fetchone()[0]

    try:
        with ThreadPoolExecutor(max_workers=3) as threads:  # up to 3 connections opened at once
            first = set(threads.map(lambda _: backend(), range(30)))
        assert 1 <= len(first) <= 3 and pool.idle_connections == len(first)
        with ThreadPoolExecutor(max_workers=3) as threads:  # then reused: no new backend
            assert set(threads.map(lambda _: backend(), range(30))) <= first

        victim = backend()
        # a statement error rolls back but keeps the connection
        with pool.transaction() as cur, contextlib.suppress(psycopg2.errors.DivisionByZero):
            cur.execute("SELECT 1 / 0")
        kill = Pool(database_url, maxconn=1)
        with kill.transaction() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(%s)", (list(first),))
        kill.close()
        failures = 0
        for _ in range(len(first)):  # each dead connection fails once and is dropped
            try:
                backend()
            except TRANSIENT_ERRORS:
                failures += 1
        assert failures >= 1 and victim in first
        assert backend() not in first
    finally:
        pool.close()
