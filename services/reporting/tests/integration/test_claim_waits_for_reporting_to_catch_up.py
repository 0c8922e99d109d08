"""A claim can be reproduced (issue 13, item 4): closing refuses with 409, saying how far behind, while
reporting's consumer has not applied everything already on its topics; once caught up it closes,
keeps the positions it was built on, and the ledger asked at its closing moment gives its lines.
The consumer here is deliberately behind: the events are on the real broker, applied only when the
test applies them, through the real idempotent consumer and the service's batch handler."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from kafka import KafkaProducer
from reporting_testkit import case_envelopes, engaged_case, referral_envelopes, reporting_consumer

from linkwell_runtime.kafka_auth import connection
from reporting.adapters.topic_reader import read_to_end
from reporting.config import Settings


@pytest.fixture
def live_settings(settings: Settings, topic_factory) -> Settings:
    """The service's settings with its source topics really created (three partitions each)."""
    return settings.model_copy(
        update={
            "referral_topic": topic_factory("linkwell.referral", 3),
            "engagement_topic": topic_factory("linkwell.engagement", 3),
            "commissioner_topic": topic_factory("linkwell.commissioner", 3),
            "patient_pseudonyms_topic": topic_factory("linkwell.referral.patient-pseudonyms", 3),
        }
    )


@pytest.fixture
def live_client(live_settings: Settings, clock):
    from fastapi.testclient import TestClient

    from reporting.entrypoints.api import create_app

    with TestClient(create_app(live_settings, clock)) as client:
        yield client


def _publish(settings: Settings) -> int:
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    case.star(date(2025, 6, 10), 43)  # +3 in June: a W outcome achieved in 2025-06
    sent = [(settings.referral_topic, e) for e in referral_envelopes(case, date(2025, 1, 2))]
    sent += [(settings.engagement_topic, e) for e in case_envelopes(case)]
    producer = KafkaProducer(**connection(settings.kafka_bootstrap_servers), acks="all")
    try:
        for topic, envelope in sent:
            producer.send(
                topic,
                key=envelope.key,
                value=envelope.to_bytes(),
                headers=[("event_type", envelope.event_type.encode())],
            )
        producer.flush()
    finally:
        producer.close()
    return len(sent)


def _apply(settings: Settings, batches: int | None = None) -> None:
    """Apply what is on the topics (only the first `batches` batches of 2, when given)."""
    consumer = reporting_consumer(settings)
    try:
        for n, batch in enumerate(read_to_end(settings.kafka_bootstrap_servers, settings.consumed_topics, 2)):
            if batches is not None and n >= batches:
                break
            consumer.apply_batch(batch)
    finally:
        consumer._close()


def _behind(answer) -> int:
    return sum(p["end_offset"] - p["applied_offset"] for p in answer.json()["behind"])


def test_a_claim_waits_until_reporting_has_applied_every_published_event(live_settings, live_client, token, clock):
    published = _publish(live_settings)
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)

    refused = live_client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert refused.status_code == 409 and refused.headers["Retry-After"]
    assert _behind(refused) == published
    assert f"not yet applied {published} event(s)" in refused.json()["detail"]
    assert live_client.get("/claims/2025-06/preview", headers=token()).status_code == 409

    _apply(live_settings, batches=1)  # part of the way
    still = live_client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert still.status_code == 409 and 0 < _behind(still) < published

    _apply(live_settings)
    closed = live_client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert closed.status_code == 201, closed.text
    claim = json.loads(closed.content)
    assert [line["amount"] for line in claim["lines"]] == [20000]

    [summary] = live_client.get("/claims", headers=token()).json()["items"]
    assert sum(p["applied_offset"] for p in summary["source_positions"]) == published

    ledger = live_client.get(
        "/outcomes/payable", params={"as_of": "2025-06-30", "known_at": claim["closed_at"]}, headers=token()
    ).json()
    claimed = [{k: v for k, v in line.items() if k != "kind"} for line in claim["lines"]]
    assert ledger["lines"] == claimed


def test_a_claim_is_not_held_up_by_events_reporting_passes_over(live_settings, live_client, token, clock):
    """Every message moves the consumer's position, including types reporting does not apply."""
    _publish(live_settings)
    _apply(live_settings)
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    assert live_client.post("/claims", json={"period": "2025-06"}, headers=token()).status_code == 201


def test_closing_answers_503_when_kafka_does_not(settings, clock, token):
    from fastapi.testclient import TestClient

    from reporting.entrypoints.api import create_app

    nowhere = settings.model_copy(update={"kafka_bootstrap_servers": "127.0.0.1:9"})
    clock.now = datetime(2025, 7, 5, 9, tzinfo=UTC)
    with TestClient(create_app(nowhere, clock)) as client:
        answer = client.post("/claims", json={"period": "2025-06"}, headers=token())
    assert answer.status_code == 503 and "Kafka" in answer.json()["detail"]
