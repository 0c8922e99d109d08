"""The engagement-events consumer as a real process on the real broker: milestones applied once,
stale ones recorded and ignored, only malformed messages dead-lettered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kafka import KafkaProducer
from referral_testkit import referral_body, with_allocation

from contracts.codec import encode
from contracts.engagement import CaseContacted
from contracts.topics import dlq
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import cursor, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic


def test_consumer_applies_milestones_ignores_stale_ones_and_dead_letters_only_malformed(
    client, token, database_url, kafka_bootstrap, topic_factory
):
    created = client.post("/referrals", json=referral_body(referred_on=None), headers=token()).json()
    created = with_allocation(client, token, created)
    topic = topic_factory("engagement")
    now = datetime.now(UTC)

    def contact() -> bytes:
        payload = CaseContacted(
            case_id=created["referral_id"],
            patient_id=created["patient_id"],
            provider_id=created["provider_id"],
            link_worker_id=created["link_worker_id"],
            contact_id=uuid.uuid4(),
            contacted_on=now.date(),
        )
        return encode(
            payload,
            aggregate_id=created["referral_id"],
            aggregate_version=1,
            occurred_at=now,
            recorded_at=now,
            producer="engagement",
        ).to_bytes()

    first = contact()
    producer = KafkaProducer(**connection(kafka_bootstrap), acks="all")
    for value in (first, first, contact(), b'{"not": "an envelope"}'):  # redelivery, stale, malformed
        producer.send(topic, key=created["referral_id"].encode(), value=value)
    producer.flush()
    producer.close()

    consumer = Process(
        ["-m", "referral.entrypoints.consumer"],
        {
            "DATABASE_URL": database_url,
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "ENVIRONMENT": "test",
            "ENGAGEMENT_TOPIC": topic,
            "PRACTICE_TOPIC": topic_factory("practice"),  # the consumer also keeps summaries sent to practices
            "CONSUMER_NAME": f"referral-test-{uuid.uuid4().hex[:8]}",
        },
        "referral-consumer",
    ).start()
    try:

        def dead_letters():
            if not consumer.alive():
                raise AssertionError(consumer.log_tail())
            return read_whole_topic(kafka_bootstrap, dlq(topic))

        letters = wait_until(dead_letters, timeout=90, what="the malformed message on the dead-letter topic")
        [letter] = letters  # it names the malformed record and carries none of it
        assert letter.value == b"" and dict(letter.headers)["dlq_reason"].startswith(b"undecodable")
        with cursor(client.app.state.settings.database_url) as cur:
            cur.execute("SELECT status FROM referrals")
            assert cur.fetchall() == [("contacted",)]
            cur.execute("SELECT count(*) FROM ignored_case_events")
            assert cur.fetchone() == (1,)
            cur.execute("SELECT count(*) FROM events WHERE event_type = 'ReferralStatusChanged'")
            assert cur.fetchone() == (1,)
    finally:
        consumer.stop()
