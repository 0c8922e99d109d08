"""Event topics keep every event: the project's topic script creates them so, sets drifted ones back,
and a consumer refuses to start on a topic that would let history expire."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

from contracts.topics import (
    ALL,
    COMPACTED_TOPIC_CONFIG,
    DEAD_LETTER_RETENTION_DAYS,
    PATIENT_PSEUDONYMS,
    RETRY,
    deployed,
    dlq,
    topic_config,
)
from linkwell_runtime import db
from linkwell_runtime.service import Services, run_consumer
from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.topics import TopicMisconfigured, admin_client, check_retention, configured

ROOT = Path(__file__).resolve().parents[3]


def topics_script(kafka_bootstrap: str, prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "KAFKA_PARTITIONS": "1"}
    return subprocess.run(
        [sys.executable, str(ROOT / "deploy" / "bin" / "topics"), "--prefix", prefix, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def prefix(kafka_bootstrap: str):
    prefix = f"t{uuid.uuid4().hex[:8]}."
    yield prefix
    admin = admin_client(kafka_bootstrap)
    try:
        admin.delete_topics(deployed(prefix))
    finally:
        admin.close()


def test_the_script_creates_event_topics_that_keep_every_event_and_dead_letters_for_a_stated_time(
    kafka_bootstrap, prefix
):
    created = topics_script(kafka_bootstrap, prefix)
    assert created.returncode == 0, created.stderr
    names = deployed(prefix)
    assert prefix + RETRY in names  # the retry requests of `linkwell dlq redrive`, kept as long as letters
    admin = admin_client(kafka_bootstrap)
    try:
        found = configured(admin, names)
    finally:
        admin.close()
    ninety_days = str(DEAD_LETTER_RETENTION_DAYS * 24 * 3600 * 1000)
    assert {name: found[name]["retention.ms"] for name in names} == {
        name: ninety_days if name.endswith((".dlq", RETRY)) else "-1" for name in names
    }
    assert {found[name]["retention.bytes"] for name in names} == {"-1"}
    # the pseudonyms' topic is compacted, so that a tombstone cleans a key away in bounded time
    assert found[prefix + PATIENT_PSEUDONYMS] == topic_config(PATIENT_PSEUDONYMS) == COMPACTED_TOPIC_CONFIG
    assert topics_script(kafka_bootstrap, prefix, "--check").returncode == 0


def test_a_topic_whose_retention_drifted_is_refused_then_set_back_by_the_script(kafka_bootstrap, prefix):
    assert topics_script(kafka_bootstrap, prefix).returncode == 0
    referral = prefix + ALL[0]
    admin = admin_client(kafka_bootstrap)
    try:
        admin.alter_configs(
            [
                ConfigResource(
                    ConfigResourceType.TOPIC, referral, configs={"retention.ms": "604800000", "retention.bytes": "-1"}
                )
            ]
        )
    finally:
        admin.close()
    with pytest.raises(TopicMisconfigured, match=f"topic {referral} has retention.ms=604800000 \\(must be -1\\)"):
        check_retention(kafka_bootstrap, [referral])
    refused = topics_script(kafka_bootstrap, prefix, "--check")
    assert refused.returncode == 1 and referral in refused.stderr
    fixed = topics_script(kafka_bootstrap, prefix)
    assert fixed.returncode == 0 and f"reconfigured  {referral}" in fixed.stdout
    check_retention(kafka_bootstrap, [referral])


def test_a_missing_topic_is_refused_by_name(kafka_bootstrap):
    missing = f"missing.{uuid.uuid4().hex[:8]}"
    with pytest.raises(TopicMisconfigured, match=f"topic {missing} does not exist"):
        check_retention(kafka_bootstrap, [missing], settle_seconds=0.5)


def test_a_consumer_refuses_to_start_on_a_topic_that_lets_events_expire(kafka_bootstrap, database_url):
    topic = f"expiring.{uuid.uuid4().hex[:8]}"
    admin = admin_client(kafka_bootstrap)
    try:
        admin.create_topics(
            [
                NewTopic(topic, 1, 1, topic_configs={"retention.ms": "604800000"}),
                NewTopic(dlq(topic), 1, 1, topic_configs=topic_config(dlq(topic))),
            ]
        )
        settings = PlatformSettings(
            kafka_bootstrap_servers=kafka_bootstrap, database_url=database_url, environment="test"
        )
        with pytest.raises(SystemExit, match=f"expiring-consumer: refusing to start: topic {topic} has retention.ms"):
            run_consumer(
                Services(settings, db.Pool(database_url)),
                "expiring-consumer",
                [topic],
                handler=lambda uow, envelope, payload: None,
            )
    finally:
        admin.delete_topics([topic, dlq(topic)])
        admin.close()
