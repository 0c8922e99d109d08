"""The write path end to end on the real broker: HTTP → event store + outbox → relay → Kafka."""

from __future__ import annotations

import json
import uuid

import pytest
from fastapi.testclient import TestClient
from referral_testkit import referral_body

from linkwell_runtime.testing import cursor, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic
from referral.config import Settings
from referral.entrypoints.api import create_app


@pytest.fixture
def published(database_url: str, kafka_bootstrap: str, topic_factory):
    """An API on a fresh database whose referral topic is a fresh topic, and its relay process."""
    topic = topic_factory("referral")
    settings = Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        environment="test",
        referral_topic=topic,
        patient_pseudonyms_topic=topic_factory("patient-pseudonyms"),
    )
    relay = Process(
        ["-m", "linkwell_runtime.relay"],
        {"DATABASE_URL": database_url, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ENVIRONMENT": "test"},
        "referral-relay",
    )
    with TestClient(create_app(settings)) as client:
        yield client, topic, relay.start()
    relay.stop()


def outbox_drained(client) -> bool:
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        return cur.fetchone()[0] == 0


def test_referral_posted_over_http_reaches_kafka_exactly_once(published, token, kafka_bootstrap):
    client, topic, relay = published
    headers = token() | {"Idempotency-Key": str(uuid.uuid4())}
    created = client.post("/referrals", json=referral_body(), headers=headers).json()
    replayed = client.post("/referrals", json=referral_body(), headers=headers).json()
    assert replayed == created

    wait_until(
        lambda: outbox_drained(client) or (not relay.alive() and relay.log_tail()) or False,
        timeout=60,
        what="the relay to publish the outbox",
    )
    assert relay.alive(), relay.log_tail()
    with cursor(client.app.state.settings.database_url) as cur:
        cur.execute("SELECT event_id::text FROM events")
        stored = {row[0] for row in cur.fetchall()}

    records = read_whole_topic(kafka_bootstrap, topic)
    on_kafka = [json.loads(r.value) for r in records]
    assert sorted(e["event_id"] for e in on_kafka) == sorted(stored)  # every stored event, each once
    ours = [e for e in on_kafka if e["aggregate_id"] == created["referral_id"]]
    assert [(e["event_type"], e["aggregate_version"]) for e in ours] == [
        ("ReferralReceived", 1),
        ("ReferralAssessed", 2),
        ("ReferralAllocated", 3),
    ]
    mine = [r for r in records if json.loads(r.value)["aggregate_id"] == created["referral_id"]]
    assert {r.key for r in mine} == {created["referral_id"].encode()}  # one key: one partition, in order
    assert [dict(r.headers)["event_type"] for r in mine] == [
        b"ReferralReceived",
        b"ReferralAssessed",
        b"ReferralAllocated",
    ]
