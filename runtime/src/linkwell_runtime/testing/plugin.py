"""pytest plugin (registered as `linkwell`): fixtures for the real Kafka broker and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from linkwell_runtime import migrations
from linkwell_runtime.kafka_auth import SCRAM, KafkaCredentials
from linkwell_runtime.secret_files import read_secret_file
from linkwell_runtime.testing.containers import ContainerServer, containers_mode
from linkwell_runtime.testing.database import RoleDatabase, admin, create_role_database, drop_role_database
from linkwell_runtime.testing.polling import wait_until
from linkwell_runtime.testing.servers import LocalServer, kafka_password_file, test_port, test_state_dir

# Every process must be told where it runs (linkwell_runtime.settings); tests run as `test`, which
# accepts the development secrets. A test that needs another sets it on its settings or process.
os.environ.setdefault("ENVIRONMENT", "test")
# A consumer a test kills is given up by its group after the broker's shortest session, not 10 s.
os.environ.setdefault("CONSUMER_SESSION_TIMEOUT_SECONDS", "6")

# The test broker authenticates every client (docs/security.md §12). Tests, and the processes they
# start, are the broker's admin (they create throwaway topics and run every service at once); the
# `kafka_principal` fixture gives a service's own credentials to a test that checks its ACLs. A
# reused broker ($KAFKA_BOOTSTRAP_SERVERS) comes with its own KAFKA_SASL_* settings.
if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
    os.environ.setdefault("KAFKA_SASL_USERNAME", "admin")
    os.environ.setdefault("KAFKA_SASL_MECHANISM", SCRAM)
    os.environ.setdefault("KAFKA_SASL_PASSWORD_FILE", str(kafka_password_file("admin")))


class TopicFactory(Protocol):
    """`topic_factory`: creates a uniquely named topic (and its `.dlq` twin) and returns its name."""

    def __call__(self, stem: str = "test", partitions: int = 6, config: dict[str, str] | None = None) -> str: ...


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap servers of a real broker: $KAFKA_BOOTSTRAP_SERVERS, or one started from deploy/
    (LINKWELL_TEST_SERVERS=containers: a linkwell/kafka container through testcontainers), with the
    platform's ops topics (the retry requests every consumer reads) as every deployment has them."""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield _with_ops_topics(os.environ["KAFKA_BOOTSTRAP_SERVERS"])
        return
    if containers_mode():
        container = ContainerServer("kafka")
        container.start()
        try:
            yield _with_ops_topics(container.kafka_bootstrap)
        finally:
            container.stop()
        return
    server = LocalServer("kafka")
    server.start()
    try:
        yield _with_ops_topics(f"127.0.0.1:{test_port('KAFKA_PORT')}")
    finally:
        server.stop()


def _with_ops_topics(bootstrap: str) -> str:
    from contracts.topics import DEFAULT_PARTITIONS, OPS
    from linkwell_runtime.topics import ensure_topics

    ensure_topics(bootstrap, list(OPS), DEFAULT_PARTITIONS)
    return bootstrap


@pytest.fixture(scope="session")
def kafka_principal(kafka_bootstrap: str) -> Callable[[str], KafkaCredentials]:
    """A principal's credentials on the test broker (deploy/kafka/principals: `referral`,
    `engagement`, `operator`, ...), for tests that check what it may and may not do."""

    def credentials(name: str) -> KafkaCredentials:
        return KafkaCredentials(
            kafka_sasl_username=name,
            kafka_sasl_password_file=str(kafka_password_file(name)),
            kafka_sasl_mechanism=SCRAM,
        )

    return credentials


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
        # deploy/bin/postgres generates the superuser's password into the state dir (docs/security.md §11).
        password = os.environ.get("PG_SUPERUSER_PASSWORD") or read_secret_file(
            str(test_state_dir() / "secrets" / "pg-postgres.password")
        )
        yield f"postgresql://postgres:{quote(password, safe='')}@127.0.0.1:{test_port('PG_PORT')}/postgres"
    finally:
        server.stop()


class DatabaseFactory(Protocol):
    """`database_factory`: a fresh database's URL; `migrated` (migration sources, e.g.
    `migrations.sources("referral.adapters.sql")`) gives it at the newest revision of those."""

    def __call__(self, migrated: Sequence[str] | None = None) -> str: ...


@pytest.fixture(scope="session")
def _migrated_templates(postgres_url: str) -> Iterator[dict[tuple[str, ...], str]]:
    """One database per set of migration sources, migrated once per run; a test's migrated database
    is a copy of it (CREATE DATABASE ... TEMPLATE: ~40 ms instead of ~200 ms of migrations)."""
    made: dict[tuple[str, ...], str] = {}
    try:
        yield made
    finally:
        for name in made.values():
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_factory(postgres_url: str, _migrated_templates: dict[tuple[str, ...], str]) -> Iterator[DatabaseFactory]:
    """Creates fresh databases (one per service in a cross-service test), empty or migrated; all
    dropped afterwards."""
    created: list[str] = []
    parts = urlsplit(postgres_url)

    def url_of(name: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))

    def template(sources: tuple[str, ...]) -> str:
        if sources not in _migrated_templates:
            name = f"t_template_{uuid.uuid4().hex[:12]}"
            admin(postgres_url, f'CREATE DATABASE "{name}"')
            try:
                migrations.migrate(url_of(name), sources)
            except BaseException:
                admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                raise
            _migrated_templates[sources] = name
        return _migrated_templates[sources]

    def create(migrated: Sequence[str] | None = None) -> str:
        name = f"t_{uuid.uuid4().hex[:16]}"
        copied = "" if migrated is None else f' TEMPLATE "{template(tuple(migrated))}"'
        admin(postgres_url, f'CREATE DATABASE "{name}"{copied}')
        created.append(name)
        return url_of(name)

    try:
        yield create
    finally:
        for name in created:
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(database_factory: DatabaseFactory) -> str:
    """A fresh, empty database for one test (the superuser's), dropped afterwards."""
    return database_factory()


@pytest.fixture
def role_database_factory(postgres_url: str) -> Iterator[Callable[[], RoleDatabase]]:
    """Creates fresh, empty databases as deployed (docs/security.md §11): a schema owner that migrates
    and a service role with rows only, each with a generated password; all dropped afterwards."""
    created: list[RoleDatabase] = []

    def create() -> RoleDatabase:
        made = create_role_database(postgres_url, f"t_{uuid.uuid4().hex[:16]}")
        created.append(made)
        return made

    try:
        yield create
    finally:
        for made in created:
            drop_role_database(postgres_url, made)


@pytest.fixture
def role_database(role_database_factory: Callable[[], RoleDatabase]) -> RoleDatabase:
    """A fresh database with its schema owner and service role (`owner_url`, `service_url`)."""
    return role_database_factory()


@pytest.fixture
def topic_factory(kafka_bootstrap: str) -> Iterator[TopicFactory]:
    """Creates a uniquely named topic and its `.dlq` twin; returns the topic name. `config`: the
    topic's own settings instead of contracts.topics' (a compacted topic that cleans in seconds)."""
    from kafka.admin import KafkaAdminClient, NewTopic

    from contracts.topics import topic_config
    from linkwell_runtime.kafka_auth import connection

    admin = KafkaAdminClient(**connection(kafka_bootstrap))

    def create(stem: str = "test", partitions: int = 6, config: dict[str, str] | None = None) -> str:
        topic = f"{stem}.{uuid.uuid4().hex[:12]}"
        admin.create_topics(
            [
                NewTopic(t, partitions, 1, topic_configs=config if config and t == topic else topic_config(t))
                for t in (topic, f"{topic}.dlq")
            ]
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
