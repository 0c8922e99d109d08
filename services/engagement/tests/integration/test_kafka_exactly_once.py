"""On the real broker, with real processes that crash mid-way: each effect happens exactly once."""

from __future__ import annotations

import json
import uuid

from engagement_testkit import SCORES, FixedClock, consume, contact_body, referral_envelopes
from fastapi.testclient import TestClient
from kafka import KafkaProducer

from engagement.entrypoints.api import create_app
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import query, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic


def _wait_for_exit(process: Process) -> None:
    wait_until(lambda: process.returncode is not None, timeout=90, what=f"{process.name} to crash at its failpoint")
    assert process.returncode == -9, process.log_tail()


def test_allocations_on_kafka_open_each_case_once_across_consumer_crashes(settings, kafka_bootstrap, topic_factory):
    referral_topic, directory_topic = topic_factory("referral"), topic_factory("directory")
    referrals = [uuid.uuid4() for _ in range(8)]
    producer = KafkaProducer(**connection(kafka_bootstrap), acks="all")
    for referral_id in referrals:
        for envelope in referral_envelopes(referral_id):
            producer.send(referral_topic, key=envelope.key, value=envelope.to_bytes())
    producer.flush()
    producer.close()
    env = {
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ENVIRONMENT": "test",
        "REFERRAL_TOPIC": referral_topic,
        "DIRECTORY_TOPIC": directory_topic,
        "ENGAGEMENT_TOPIC": "linkwell.engagement.test-unused",
        "CONSUMER_NAME": f"engagement-{uuid.uuid4().hex[:8]}",
    }
    consumer = Process(["-m", "engagement.entrypoints.consumer"], env, "engagement-consumer")
    try:
        consumer.start(LINKWELL_FAILPOINTS="consumer.mid_batch")  # killed before its first batch commits
        _wait_for_exit(consumer)
        assert query(settings.database_url, "SELECT count(*) FROM events") == [(0,)]
        consumer.start(LINKWELL_FAILPOINTS="consumer.after_commit")  # killed after commit, before the offsets
        _wait_for_exit(consumer)
        consumer.start(LINKWELL_FAILPOINTS="")

        def all_open():
            if not consumer.alive():
                raise AssertionError(consumer.log_tail())
            return query(settings.database_url, "SELECT count(*) FROM processed_events")[0][0] == 2 * len(referrals)

        wait_until(all_open, timeout=90, what="every referral event applied")
        opened = query(
            settings.database_url,
            "SELECT aggregate_id, count(*) FROM events WHERE event_type = 'CaseOpened' GROUP BY aggregate_id",
        )
        assert sorted(opened) == sorted((str(r), 1) for r in referrals)
        assert query(settings.database_url, "SELECT count(*) FROM events") == [(len(referrals),)]
        assert query(settings.database_url, "SELECT count(*) FROM cases WHERE status = 'allocated'") == [
            (len(referrals),)
        ]
    finally:
        consumer.stop()


def test_a_star_posted_over_http_reaches_kafka_once_with_its_scores_across_a_relay_crash(
    settings, kafka_bootstrap, topic_factory, token
):
    topic = topic_factory("engagement")
    settings = settings.model_copy(update={"engagement_topic": topic})
    case_id = uuid.uuid4()
    consume(settings, referral_envelopes(case_id))
    with TestClient(create_app(settings, FixedClock())) as client:
        _post_contact_then_star_around_a_relay_crash(client, token, settings, kafka_bootstrap, case_id)
    records = [json.loads(r.value) for r in read_whole_topic(kafka_bootstrap, topic)]
    stars = [r for r in records if r["event_type"] == "WellbeingStarRecorded"]
    assert len(stars) == 1
    assert stars[0]["payload"]["scores"] == SCORES and stars[0]["payload"]["kind"] == "baseline"
    assert stars[0]["occurred_at"].startswith("2024-06-05T00:00:00")
    stored = {str(r[0]) for r in query(settings.database_url, "SELECT event_id FROM events")}
    assert stars[0]["event_id"] in stored
    assert {r["event_id"] for r in records} == stored  # nothing lost; re-sends carry the same event id


def _post_contact_then_star_around_a_relay_crash(client, token, settings, kafka_bootstrap, case_id) -> None:
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    env = {"DATABASE_URL": settings.database_url, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ENVIRONMENT": "test"}
    relay = Process(["-m", "linkwell_runtime.relay"], env, "engagement-relay")
    try:
        relay.start(LINKWELL_FAILPOINTS="relay.after_publish")  # published, never marked: re-sent on restart
        _wait_for_exit(relay)
        relay.start(LINKWELL_FAILPOINTS="")
        star = client.post(
            f"/cases/{case_id}/stars",
            json={"taken_on": "2024-06-05", "scores": SCORES},
            headers=token() | {"Idempotency-Key": "star-1"},
        )
        assert star.status_code == 201, star.text
        client.post(
            f"/cases/{case_id}/stars",
            json={"taken_on": "2024-06-05", "scores": SCORES},
            headers=token() | {"Idempotency-Key": "star-1"},
        )  # a client retry changes nothing

        def all_published():
            if not relay.alive():
                raise AssertionError(relay.log_tail())
            return query(settings.database_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]

        wait_until(all_published, timeout=60, what="the outbox drained")
    finally:
        relay.stop()
