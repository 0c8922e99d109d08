"""The HTTP connection pool on a real database: a burst larger than the pool waits, it does not fail."""
from concurrent.futures import ThreadPoolExecutor

from linkwell_runtime.db import Pool


def test_more_concurrent_transactions_than_connections_all_succeed(database_url):
    pool = Pool(database_url, minconn=1, maxconn=2)

    def work(i: int) -> int:
        with pool.transaction() as cur:
            cur.execute("SELECT pg_sleep(0.05), %s", (i,))
            return cur.fetchone()[1]

    try:
        with ThreadPoolExecutor(max_workers=12) as threads:
            assert sorted(threads.map(work, range(24))) == list(range(24))
    finally:
        pool.close()
