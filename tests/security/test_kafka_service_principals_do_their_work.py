"""Each service's Kafka principal is enough for its own work (docs/security.md §12): real processes
logged in as the principals `make up` and compose give them, on the platform's own topics and
consumer group. The directory's relay publishes as `directory`; engagement's consumer, as
`engagement`, checks its topics' retention, joins its group, applies the event and dead-letters a
poison message that `referral` published; the operator's redrive of that letter (a retry request) is
acted on by engagement's consumer, which fetches the record itself."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from contracts import topics
from linkwell_runtime import cli, ops
from linkwell_runtime.auth import Principal, Role, audience, mint_token
from linkwell_runtime.kafka_auth import KafkaCredentials, connection
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing import query, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic
from linkwell_runtime.topics import ensure_topics


def as_principal(credentials: KafkaCredentials) -> dict[str, str]:
    return {
        "KAFKA_SASL_USERNAME": credentials.kafka_sasl_username,
        "KAFKA_SASL_PASSWORD_FILE": credentials.kafka_sasl_password_file,
    }


def test_the_directory_relay_and_engagement_consumer_work_as_their_own_principals(
    database_factory, kafka_bootstrap, kafka_principal, monkeypatch, capsys
):
    from kafka import KafkaProducer

    from directory.config import Settings as DirectorySettings
    from directory.entrypoints.api import create_app
    from engagement.bootstrap import prepare_database as prepare_engagement

    ensure_topics(kafka_bootstrap, topics.deployed(), partitions=1)
    directory_db, engagement_db = database_factory(), database_factory()
    prepare_engagement(engagement_db)
    common = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ENVIRONMENT": "test", "CONSUMER_BATCH_SECONDS": "0.1"}
    relay = Process(
        ["-m", "linkwell_runtime.relay"],
        common | {"DATABASE_URL": directory_db} | as_principal(kafka_principal("directory")),
        "directory-relay",
    )
    consumer = Process(
        ["-m", "engagement.entrypoints.consumer"],
        common | {"DATABASE_URL": engagement_db} | as_principal(kafka_principal("engagement")),
        "engagement-consumer",
    )
    poison = uuid.uuid4().hex.encode()
    producer = KafkaProducer(**connection(kafka_bootstrap, kafka_principal("referral")), acks="all")
    producer.send(topics.REFERRAL, key=poison, value=b"not an event").get(timeout=30)
    producer.close()

    app = create_app(
        DirectorySettings(database_url=directory_db, environment="test", kafka_bootstrap_servers=kafka_bootstrap)
    )
    token = mint_token(Principal(sub="op", role=Role.OPERATOR), DEVELOPMENT_JWT_SECRET, audience=audience("directory"))
    operator = {"Authorization": f"Bearer {token}"}
    try:
        with TestClient(app) as directory:
            org = str(uuid.uuid4())
            created = directory.post(
                "/organizations", json={"id": org, "name": "Tyne Walkers", "description": "walks"}, headers=operator
            )
            assert created.status_code == 201, created.text
            answer = directory.post(
                "/services",
                json={"organization_id": org, "name": "Walking group"},
                headers=operator | {"Idempotency-Key": uuid.uuid4().hex},
            )
            assert answer.status_code == 201, answer.text
            service_id = answer.json()["id"]
            relay.start()
            consumer.start()
            wait_until(
                lambda: (
                    query(engagement_db, "SELECT name FROM directory_services WHERE service_id = %s", (service_id,))
                    == [("Walking group",)]
                ),
                timeout=120,
                what="the service in engagement's copy, through the directory and engagement principals\n"
                + relay.log_tail()
                + consumer.log_tail(),
            )
            wait_until(
                lambda: poison in [r.key for r in read_whole_topic(kafka_bootstrap, topics.dlq(topics.REFERRAL))],
                timeout=60,
                what="the poison message dead-lettered by engagement's principal\n" + consumer.log_tail(),
            )
            redriven_by_the_operator(kafka_bootstrap, kafka_principal("operator"), poison, monkeypatch, capsys)
        assert relay.alive() and consumer.alive(), relay.log_tail() + consumer.log_tail()
    finally:
        relay.stop()
        consumer.stop()


def redriven_by_the_operator(bootstrap: str, operator: KafkaCredentials, key: bytes, monkeypatch, capsys) -> None:
    """`linkwell dlq redrive` as the operator's principal: engagement's consumer reads the request,
    fetches the record with its own principal, fails on it again and says so beside the letter."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "operator")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD_FILE", operator.kafka_sasl_password_file)
    dlq = topics.dlq(topics.REFERRAL)
    [letter] = [d for d in ops.dead_letters(bootstrap, [dlq]) if d.key == key and d.redriven_at is None]
    assert cli.main(["dlq", "redrive", letter.id]) == cli.OK, capsys.readouterr()

    def outcome() -> str | None:
        return next(d.redrive_outcome for d in ops.dead_letters(bootstrap, [dlq]) if d.id == letter.id)

    found = wait_until(outcome, timeout=90, what="engagement's outcome for the redriven letter")
    assert found.startswith("failed again"), found


def test_the_referral_and_reporting_consumers_work_as_their_own_principals(
    database_factory, kafka_bootstrap, kafka_principal
):
    """Both read the engagement topic, each in its own group: each dead-letters the same poison
    message once, which needs their read, group and dead-letter grants."""
    from kafka import KafkaProducer

    from referral.bootstrap import prepare_database as prepare_referral
    from referral.config import Settings as ReferralSettings
    from reporting.bootstrap import prepare_database as prepare_reporting

    ensure_topics(kafka_bootstrap, topics.deployed(), partitions=1)
    referral_db, reporting_db = database_factory(), database_factory()
    prepare_referral(ReferralSettings(database_url=referral_db, environment="test"), seed=False)
    prepare_reporting(reporting_db)
    common = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ENVIRONMENT": "test", "CONSUMER_BATCH_SECONDS": "0.1"}
    consumers = [
        Process(
            ["-m", f"{service}.entrypoints.consumer"],
            common | {"DATABASE_URL": db} | as_principal(kafka_principal(service)),
            f"{service}-consumer",
        )
        for service, db in (("referral", referral_db), ("reporting", reporting_db))
    ]
    poison = uuid.uuid4().hex.encode()
    producer = KafkaProducer(**connection(kafka_bootstrap, kafka_principal("engagement")), acks="all")
    producer.send(topics.ENGAGEMENT, key=poison, value=b"not an event").get(timeout=30)
    producer.close()
    try:
        for process in consumers:
            process.start()
        wait_until(
            lambda: (
                [r.key for r in read_whole_topic(kafka_bootstrap, topics.dlq(topics.ENGAGEMENT))].count(poison) == 2
            ),
            timeout=120,
            what="the poison message dead-lettered once by each consumer\n"
            + "\n".join(p.log_tail() for p in consumers),
        )
        assert all(p.alive() for p in consumers), "\n".join(p.log_tail() for p in consumers)
    finally:
        for process in consumers:
            process.stop()
