"""Replaying the referral topic into an empty read model gives the same lists."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import pytest
from fastapi.testclient import TestClient
from referral_testkit import CHANGING_LIVES, OTHER_PRACTICE, VALID_NHS, referral_body, with_allocation

from contracts.codec import encode
from contracts.engagement import CaseContacted
from linkwell_runtime.testing import admin, cursor, scalar, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic
from referral.adapters import reference_data
from referral.adapters.projection import replay
from referral.adapters.referral_rows import ReferralFilter, list_referrals
from referral.bootstrap import prepare_database
from referral.config import Settings
from referral.entrypoints.api import create_app
from referral.service_layer.case_events import apply_case_event


@pytest.fixture
def empty_database(postgres_url: str):
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin(postgres_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
    admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(dsn: str) -> dict:
    with cursor(dsn) as cur:
        rows, _ = list_referrals(cur, ReferralFilter(), 1, 1000)
        by_provider, _ = list_referrals(cur, ReferralFilter(provider_id=CHANGING_LIVES), 1, 1000)
        return {
            "referrals": rows,
            "changing_lives": by_provider,
            "practices": reference_data.list_practices(cur),
            "providers": reference_data.list_providers(cur),
            "link_workers": reference_data.list_link_workers(cur),
        }


def test_replaying_the_referral_topic_into_an_empty_read_model_gives_the_same_lists(
    database_url, empty_database, kafka_bootstrap, topic_factory, token
):
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
        {"DATABASE_URL": database_url, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap},
        "referral-relay",
    )
    with TestClient(create_app(settings)) as client:
        operator = token("operator")
        created = [
            with_allocation(
                client,
                token,
                client.post("/referrals", json=referral_body(nhs_number=n, referred_on=None), headers=token()).json(),
            )
            for n in VALID_NHS[:3]
        ]
        client.post(
            "/referrals",
            json=referral_body(nhs_number=VALID_NHS[3], practice_ods_code=OTHER_PRACTICE),
            headers=token(practice=OTHER_PRACTICE),
        )
        client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[4], conditions=[]), headers=token())
        client.post(f"/referrals/{created[0]['referral_id']}/decline", json={"reason": "other"}, headers=token())
        client.patch("/practices/A85017", json={"name": "Newburn Surgery"}, headers=operator)
        worker = client.get("/link-workers", headers=operator).json()[0]
        client.patch(f"/link-workers/{worker['link_worker_id']}", json={"capacity": 41}, headers=operator)
        now = datetime.now(UTC)
        c = created[1]
        contact = CaseContacted(
            case_id=c["referral_id"],
            patient_id=c["patient_id"],
            provider_id=c["provider_id"],
            link_worker_id=c["link_worker_id"],
            contact_id=uuid.uuid4(),
            contacted_on=now.date(),
        )
        envelope = encode(
            contact,
            aggregate_id=c["referral_id"],
            aggregate_version=1,
            occurred_at=now,
            recorded_at=now,
            producer="engagement",
        )
        services = client.app.state.services
        with services.pool.transaction() as cur:
            apply_case_event(services.unit_of_work(cur, cause=envelope), envelope, contact)

    relay.start()
    try:

        def drained():
            rows = snapshot_outbox(database_url)
            return rows == 0 or (not relay.alive() and relay.log_tail())

        wait_until(drained, timeout=60, what="the relay to publish the outbox")
        assert relay.alive(), relay.log_tail()
    finally:
        relay.stop()

    prepare_database(Settings(database_url=empty_database, environment="test"), seed=False)
    records = read_whole_topic(kafka_bootstrap, topic)
    with cursor(empty_database) as cur:
        assert replay(cur, [r.value for r in records]) == len(records)

    original, rebuilt = snapshot(database_url), snapshot(empty_database)
    assert len(original["referrals"]) == 5 and len(original["practices"]) == 17
    assert rebuilt == original


def snapshot_outbox(dsn: str) -> int:
    return scalar(dsn, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
