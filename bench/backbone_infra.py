"""What the backbone bench creates and must always clean up: databases, topics, subprocesses."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from kafka.admin import KafkaAdminClient, NewTopic
from tqdm import tqdm

from contracts.topics import DEFAULT_PARTITIONS, OPS, topic_config
from linkwell_runtime import db
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing.database import admin
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.topics import ensure_topics

HERE = Path(__file__).resolve().parent


class BenchFailure(Exception):
    """The pipeline lost, duplicated or stalled events: the numbers would be meaningless."""


class Infra:
    """Bench databases, topics and processes; `close()` removes them whatever happened."""

    def __init__(self, admin_url: str, bootstrap: str) -> None:
        self.run_id = uuid.uuid4().hex[:8]
        self.admin_url, self.bootstrap = admin_url, bootstrap
        self._databases: list[str] = []
        self._topics: list[str] = []
        self.processes: list[Process] = []
        self._faust_names: dict[Process, str] = {}  # worker.py keeps a data dir per app name
        self.started_at: dict[Process, float] = {}  # to report start-up apart from a stage's rate
        # every worker also reads the retry requests (linkwell_runtime.retry): the deployment's topic, kept
        ensure_topics(bootstrap, list(OPS), DEFAULT_PARTITIONS)

    def database(self, stem: str) -> str:
        name = f"bench_{self.run_id}_{stem}"
        admin(self.admin_url, f'CREATE DATABASE "{name}"')
        self._databases.append(name)
        parts = urlsplit(self.admin_url)
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    @contextlib.contextmanager
    def kafka_admin(self) -> Iterator[KafkaAdminClient]:
        """An admin client for one use: a full run outlasts the broker's idle-connection limit (10 min),
        after which a client held from the start fails ("Connection to 1 failed")."""
        client = KafkaAdminClient(**connection(self.bootstrap), request_timeout_ms=30000)
        try:
            yield client
        finally:
            client.close()

    def topic(self, stem: str, partitions: int = 6) -> str:
        """A fresh topic and its .dlq twin (the broker does not auto-create topics)."""
        name = f"bench.{self.run_id}.{stem}"
        with self.kafka_admin() as client:
            client.create_topics(
                [NewTopic(t, partitions, 1, topic_configs=topic_config(t)) for t in (name, f"{name}.dlq")]
            )
        self._topics += [name, f"{name}.dlq"]
        return name

    def relay(self, dsn: str) -> Process:
        env = {"DATABASE_URL": dsn, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, "ENVIRONMENT": "test"}
        return self._start(Process(["-m", "linkwell_runtime.relay"], env, "bench-relay"))

    def consumer(self, dsn: str, topic: str, name: str, batch_size: int) -> Process:
        env = {
            "DATABASE_URL": dsn,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "ENVIRONMENT": "test",
            "TOPIC": topic,
            "CONSUMER_NAME": name,
            "CONSUMER_BATCH_SIZE": str(batch_size),
        }
        process = Process([str(HERE / "backbone_consumer.py")], env, "bench-consumer")
        self._faust_names[process] = name
        return self._start(process)

    def _start(self, process: Process) -> Process:
        self.processes.append(process)
        self.started_at[process] = time.monotonic()
        return process.start()

    def stop(self, process: Process) -> None:
        process.stop()
        if process in self._faust_names:
            shutil.rmtree(
                Path(tempfile.gettempdir()) / "linkwell-faust" / self._faust_names[process], ignore_errors=True
            )
        process.log_path.unlink(missing_ok=True)

    def close(self) -> None:
        for process in self.processes:
            self.stop(process)
        if os.environ.get("BENCH_KEEP") == "1":  # for development: the data kept to question again
            print(f"kept databases {self._databases} and topics {self._topics}", file=sys.stderr)
            return
        for name in self._databases:
            admin(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            with self.kafka_admin() as client:
                client.delete_topics(self._topics)
        except Exception as exc:  # noqa: BLE001 - a leftover topic must not hide the results
            print(f"warning: could not delete topics {self._topics}: {exc}", file=sys.stderr)


def query(dsn: str, sql: str, params=None) -> list[tuple]:
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def wait_for(
    count: Callable[[], int], target: int, *, desc: str, timeout: float, processes: tuple[Process, ...] = ()
) -> tuple[float, float, int]:
    """Poll `count()` up to `target` with a deadline and a progress bar.

    Returns (time of the first progress, time target was reached, count at first progress), so a
    stage's rate can leave out its process's start-up (imports, Kafka group join).
    """
    deadline = time.monotonic() + timeout
    first_at, first_count, last, now = None, 0, 0, time.monotonic()
    with tqdm(total=target, desc=desc, unit="ev", leave=False) as bar:
        while last < target:
            for p in processes:
                if not p.alive():
                    raise BenchFailure(f"{p.name} exited {p.returncode}:\n{p.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchFailure(f"{desc}: only {last}/{target} after {timeout:.0f}s")
            time.sleep(0.1)
            now, current = time.monotonic(), count()
            if current > 0 and first_at is None:
                first_at, first_count = now, current
            bar.update(current - last)
            last = current
    return first_at, now, first_count
