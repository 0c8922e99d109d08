"""A service published over HTTP reaches linkwell.directory.v1 exactly once (real relay, real broker).

This test stops at the topic and decodes the message with the shared contracts; the way on into the
engagement service's local copy is tests/e2e/test_directory_to_engagement_copy.py.
"""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from kafka import KafkaConsumer

from contracts.codec import decode
from contracts.directory import ServicePublished, ServiceStatusChanged
from directory.config import Settings
from directory.entrypoints.api import create_app
from linkwell_runtime.auth import Principal, Role, mint_for
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.processes import Process


def test_service_published_over_http_reaches_the_directory_topic_exactly_once(
    database_url, kafka_bootstrap, topic_factory
):
    topic = topic_factory("directory")
    settings = Settings(
        database_url=database_url, environment="test", directory_topic=topic, kafka_bootstrap_servers=kafka_bootstrap
    )
    app = create_app(settings)
    token = mint_for(Principal(sub="op", role=Role.OPERATOR), settings, "directory")
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "publish-1"}
    org = str(uuid.uuid4())
    relay = Process(
        ["-m", "linkwell_runtime.relay"],
        {"DATABASE_URL": database_url, "ENVIRONMENT": "test", "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap},
        "directory-relay",
    )
    try:
        with TestClient(app) as client:
            assert (
                client.post(
                    "/organizations",
                    json={"id": org, "name": "Org", "description": "d"},
                    headers=headers | {"Idempotency-Key": "org-1"},
                ).status_code
                == 201
            )
            body = {"organization_id": org, "name": "Heaton walk", "minimum_age": 18}
            sid = client.post("/services", json=body, headers=headers).json()["id"]
            assert client.post("/services", json=body, headers=headers).json()["id"] == sid  # a client retry
            relay.start()
            # a later event on the same key is the sentinel: once it is there, everything before it is too
            client.post(
                f"/services/{sid}/status", json={"status": "inactive"}, headers={"Authorization": f"Bearer {token}"}
            )
            records = read_until(
                kafka_bootstrap,
                topic,
                lambda rs: any(isinstance(decode(r.value)[1], ServiceStatusChanged) for r in rs),
                relay,
            )
    finally:
        relay.stop()
    about_service = [(r, *decode(r.value)) for r in records if r.key == sid.encode()]
    published = [p for _, _, p in about_service if isinstance(p, ServicePublished)]
    assert len(published) == 1
    assert (str(published[0].service_id), str(published[0].organization_id), published[0].status) == (
        sid,
        org,
        "active",
    )
    assert [e.aggregate_version for _, e, _ in about_service] == [1, 2]
    assert dict(about_service[0][0].headers)["event_type"] == b"ServicePublished"


def read_until(bootstrap: str, topic: str, done, process: Process) -> list:
    consumer = KafkaConsumer(topic, **connection(bootstrap), auto_offset_reset="earliest", enable_auto_commit=False)
    records: list = []

    def probe():
        assert process.alive(), process.log_tail()
        records.extend(r for batch in consumer.poll(500).values() for r in batch)
        return done(records)

    try:
        wait_until(probe, timeout=60, what=f"directory events on {topic}")
        records.extend(r for batch in consumer.poll(1000).values() for r in batch)  # anything after the sentinel
    finally:
        consumer.close()
    return records
