"""The outbox relay: moves outbox rows to Kafka in id order and marks them only after the ack.

A crash between publish and mark re-sends on restart (consumers de-duplicate by event id); it never
skips. One relay per database is active at a time (a PostgreSQL advisory lock); others stand by.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import zlib

import psycopg2.extensions
from kafka import KafkaProducer

from linkwell_runtime import db, failpoints, process_metrics
from linkwell_runtime.backoff import Backoff
from linkwell_runtime.kafka_auth import connection

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        dsn: str,
        bootstrap_servers: str,
        *,
        batch_size: int = 1000,
        idle_poll_seconds: float = 0.05,
        send_timeout_seconds: float = 120.0,
    ) -> None:
        self._dsn = dsn
        self._bootstrap = bootstrap_servers
        self._batch_size = batch_size
        self._idle_poll = idle_poll_seconds
        self._send_timeout = send_timeout_seconds
        self._conn: psycopg2.extensions.connection | None = None
        self._is_leader = False
        self._producer: KafkaProducer | None = None
        self._backlog_measured = 0.0

    def run(self, stop: threading.Event) -> None:
        """Publish until `stop` is set; on any broker or database failure, back off and try again."""
        backoff = Backoff()
        while not stop.is_set():
            try:
                self._hold_leadership(stop)
                if not self._is_leader:
                    continue
                sent = self.publish_batch()
                backoff.reset()
                self._measure_backlog()
                if sent == 0:
                    stop.wait(self._idle_poll)
            except Exception:  # logged; the relay must outlive any single failure
                log.exception("outbox relay failed; retrying after back-off")
                self._reset()
                stop.wait(backoff.next_delay())
        self._reset()

    def publish_batch(self) -> int:
        """Send the oldest unpublished rows, wait for every ack, then mark them. Returns rows sent."""
        conn = self._connection()
        with db.transaction(conn) as cur:
            cur.execute(
                "SELECT id, topic, message_key, message, headers FROM outbox"
                " WHERE published_at IS NULL ORDER BY id LIMIT %s",
                (self._batch_size,),
            )
            rows = cur.fetchall()
        if not rows:
            return 0
        started = time.perf_counter()
        producer = self._kafka()
        futures = [
            producer.send(
                topic,
                key=bytes(key),
                value=None if message is None else bytes(message),  # None: a tombstone (a compacted topic's)
                headers=[(k, v.encode()) for k, v in _headers(headers)],
            )
            for _, topic, key, message, headers in rows
        ]
        producer.flush(timeout=self._send_timeout)
        for future in futures:
            future.get(timeout=self._send_timeout)  # raises if the broker did not acknowledge
        failpoints.reach("relay.after_publish")
        with db.transaction(conn) as cur:
            cur.execute("UPDATE outbox SET published_at = now() WHERE id = ANY(%s)", ([r[0] for r in rows],))
        process_metrics.RELAY_PUBLISHED.inc(len(rows))
        process_metrics.RELAY_PUBLISH_SECONDS.observe(time.perf_counter() - started)
        return len(rows)

    def _measure_backlog(self) -> None:
        """The unpublished rows for `linkwell_relay_backlog`, at most every 5 s and only when exported."""
        if not process_metrics.enabled() or time.monotonic() - self._backlog_measured < 5.0:
            return
        self._backlog_measured = time.monotonic()
        with db.transaction(self._connection()) as cur:
            cur.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            row = cur.fetchone()
        process_metrics.RELAY_BACKLOG.set(row[0] if row else 0)

    def _hold_leadership(self, stop: threading.Event) -> None:
        """Block until this relay holds the database's relay lock (kept for the connection's life)."""
        if self._is_leader and self._conn is not None and not self._conn.closed:
            return
        self._reset()
        conn = self._connection()
        while not stop.is_set():
            with db.transaction(conn) as cur:
                cur.execute("SELECT pg_try_advisory_lock(%s)", (_LOCK_ID,))
                row = cur.fetchone()
                assert row is not None  # a SELECT without FROM always answers one row
                self._is_leader = row[0]
            if self._is_leader:
                return
            stop.wait(1.0)

    def _connection(self) -> psycopg2.extensions.connection:
        if self._conn is None or self._conn.closed:
            self._conn = db.connect(self._dsn)
        return self._conn

    def _kafka(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = KafkaProducer(
                **connection(self._bootstrap),
                acks="all",
                enable_idempotence=True,  # broker drops retried duplicates and keeps per-partition order
                max_in_flight_requests_per_connection=1,  # kafka-python requires 1 for idempotence
                linger_ms=5,
                batch_size=256 * 1024,
                compression_type=None,
                retries=2**31 - 1,
                delivery_timeout_ms=int(self._send_timeout * 1000),
            )
        return self._producer

    def _reset(self) -> None:
        if self._producer is not None:
            self._producer.close(timeout=5)
            self._producer = None
        if self._conn is not None:
            self._conn.close()  # closing the session also releases the leadership lock
            self._conn = None
        self._is_leader = False


_LOCK_ID = zlib.crc32(b"linkwell.outbox.relay")


def _headers(raw: str | list[list[str]]) -> list[tuple[str, str]]:
    """The outbox row's `headers`, [[name, value], ...]: jsonb arrives parsed, JSON text does not."""
    return [(name, value) for name, value in (json.loads(raw) if isinstance(raw, str) else raw)]


def main() -> None:
    """`python -m linkwell_runtime.relay`: run the relay for DATABASE_URL until SIGTERM."""
    import signal

    from linkwell_runtime.logs import configure_logging, service_of
    from linkwell_runtime.settings import PlatformSettings

    settings = PlatformSettings()
    configure_logging(service_of(settings.database_url), "relay")
    port = process_metrics.serve_from_env()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    log.info("relay started for %s", settings.safe_database_url, extra={"metrics_port": port})
    OutboxRelay(settings.database_url, settings.kafka_bootstrap_servers).run(stop)


if __name__ == "__main__":
    main()
