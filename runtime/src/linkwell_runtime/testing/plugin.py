"""pytest plugin (registered as `linkwell`): fixtures for the real Kafka broker and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import pytest

from linkwell_runtime.testing.containers import ContainerServer, containers_mode
from linkwell_runtime.testing.database import admin
from linkwell_runtime.testing.polling import wait_until
from linkwell_runtime.testing.servers import LocalServer, test_port

# Every process must be told where it runs (linkwell_runtime.settings); tests run as `test`, which
# accepts the development secrets. A test that needs another sets it on its settings or process.
os.environ.setdefault("ENVIRONMENT", "test")


class TopicFactory(Protocol):
    """`topic_factory`: creates a uniquely named topic (and its `.dlq` twin) and returns its name."""

    def __call__(self, stem: str = "test", partitions: int = 6) -> str: ...


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a real broker: $KAFKA_BOOTSTRAP_SERVERS, or one started from deploy/
    (LINKWELL_TEST_SERVERS=containers: a linkwell/kafka container through testcontainers)."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    if containers_mode():
        container = ContainerServer("kafka")
        container.start()
        try:
            yield container.kafka_bootstrap
        finally:
            container.stop()
        return
    server = LocalServer("kafka")
    server.start()
    try:
        yield f"127.0.0.1:{test_port('KAFKA_PORT')}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A superuser URL of a real PostgreSQL server: $DATABASE_URL, or a cluster started from deploy/
    (LINKWELL_TEST_SERVERS=containers: a linkwell/postgres container through testcontainers)."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    if containers_mode():
        container = ContainerServer("postgres")
        container.start()
        try:
            yield container.postgres_url
        finally:
            container.stop()
        return
    server = LocalServer("postgres")
    server.start()
    try:
        password = os.environ.get("PG_SUPERUSER_PASSWORD", "postgres")
        yield f"postgresql://postgres:{password}@127.0.0.1:{test_port('PG_PORT')}/postgres"
    finally:
        server.stop()


@pytest.fixture
def database_factory(postgres_url: str) -> Iterator[Callable[[], str]]:
    """Creates fresh, empty databases (one per service in a cross-service test); all dropped afterwards."""
    created: list[str] = []
    parts = urlsplit(postgres_url)

    def create() -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        admin(postgres_url, f'CREATE DATABASE "{name}"')
        created.append(name)
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    try:
        yield create
    finally:
        for name in created:
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(database_factory: Callable[[], str]) -> str:
    """A fresh, empty database for one test, dropped afterwards."""
    return database_factory()


@pytest.fixture
def topic_factory(kafka_bootstrap: str) -> Iterator[TopicFactory]:
    """Creates a uniquely named topic and its `.dlq` twin; returns the topic name."""
    from kafka.admin import KafkaAdminClient, NewTopic

    from contracts.topics import topic_config

    admin = KafkaAdminClient(bootstrap_servers=kafka_bootstrap.split(","))

    def create(stem: str = "test", partitions: int = 6) -> str:
        topic = f"{stem}.{uuid.uuid4().hex[:12]}"
        admin.create_topics(
            [NewTopic(t, partitions, 1, topic_configs=topic_config(t)) for t in (topic, f"{topic}.dlq")]
        )
        # The controller has accepted the topic; the broker's metadata may lag behind it on a busy
        # machine, and a client that asks too early is told "unknown topic" and only asks again
        # minutes later (kafka-python's metadata max age). Hand the topic over once it has leaders.
        wait_until(lambda: _led(admin, topic, partitions), timeout=60, what=f"leaders for every partition of {topic}")
        return topic

    yield create
    admin.close()


def _led(admin: object, topic: str, partitions: int) -> bool:
    [described] = admin.describe_topics([topic])  # type: ignore[attr-defined]
    led = [p for p in described.get("partitions", []) if p.get("leader", -1) >= 0]
    return described.get("error_code", 0) == 0 and len(led) == partitions
