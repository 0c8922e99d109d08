"""A service published over the directory's HTTP API reaches the engagement service's local copy of
the directory through Kafka exactly once, even when engagement's consumer crashes and restarts;
a later status change follows it there. Real processes, fresh databases, unique topics."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from linkwell_runtime.auth import Principal, Role, audience, mint_token
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing import query, scalar, wait_until
from linkwell_runtime.testing.processes import Process


def test_published_service_reaches_engagements_local_copy_exactly_once(
    database_factory, kafka_bootstrap, topic_factory
):
    from directory.config import Settings as DirectorySettings
    from directory.entrypoints.api import create_app
    from engagement.bootstrap import prepare_database as prepare_engagement

    directory_db, engagement_db = database_factory(), database_factory()
    topics = {"DIRECTORY_TOPIC": topic_factory("e2e.directory"), "REFERRAL_TOPIC": topic_factory("e2e.referral")}
    common = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ENVIRONMENT": "test",
        "CONSUMER_BATCH_SECONDS": "0.1",
        **topics,
    }
    prepare_engagement(engagement_db)
    relay = Process(["-m", "linkwell_runtime.relay"], common | {"DATABASE_URL": directory_db}, "directory-relay")
    consumer_env = common | {"DATABASE_URL": engagement_db, "CONSUMER_NAME": f"e2e-engagement-{uuid.uuid4().hex[:8]}"}
    crashing = Process(["-m", "engagement.entrypoints.consumer"], consumer_env, "engagement-consumer")
    restarted = Process(["-m", "engagement.entrypoints.consumer"], consumer_env, "engagement-consumer")
    app = create_app(
        DirectorySettings(
            database_url=directory_db,
            environment="test",
            directory_topic=topics["DIRECTORY_TOPIC"],
            kafka_bootstrap_servers=kafka_bootstrap,
        )
    )
    operator = {
        "Authorization": f"Bearer {mint_token(Principal(sub='op', role=Role.OPERATOR), DEVELOPMENT_JWT_SECRET, audience=audience('directory'))}"
    }
    try:
        with TestClient(app) as directory:
            org = str(uuid.uuid4())
            assert (
                directory.post(
                    "/organizations",
                    json={"id": org, "name": "Ouseburn Trust", "description": "arts"},
                    headers=operator,
                ).status_code
                == 201
            )
            answer = directory.post(
                "/services",
                json={"organization_id": org, "name": "Ouseburn choir"},
                headers=operator | {"Idempotency-Key": "choir"},
            )
            assert answer.status_code == 201, answer.text
            service_id = answer.json()["id"]
            relay.start()
            # the consumer dies right after committing its first batch, before its offsets are committed
            crashing.start(LINKWELL_FAILPOINTS="consumer.after_commit")
            wait_until(lambda: crashing.returncode is not None, timeout=90, what="the consumer to crash after commit")
            assert crashing.returncode == -9, crashing.log_tail()
            restarted.start()
            wait_until(
                lambda: _copy(engagement_db, service_id) == ("Ouseburn choir", "active"),
                timeout=60,
                what="the service in engagement's local copy",
            )
            assert (
                directory.post(
                    f"/services/{service_id}/status", json={"status": "defunct"}, headers=operator
                ).status_code
                == 200
            )
            wait_until(
                lambda: _copy(engagement_db, service_id) == ("Ouseburn choir", "defunct"),
                timeout=60,
                what="the status change in engagement's local copy",
            )
    finally:
        for process in (relay, crashing, restarted):
            process.stop()
    applied = scalar(
        engagement_db, "SELECT count(*) FROM processed_events WHERE topic = %s", (topics["DIRECTORY_TOPIC"],)
    )
    assert applied == 3  # organisation, service, status change: each applied once, the crash notwithstanding


def _copy(dsn: str, service_id: str):
    rows = query(dsn, "SELECT name, status FROM directory_services WHERE service_id = %s", (service_id,))
    return rows[0] if rows else None
