"""Kafka authenticates every client and authorises each service principal by ACL (docs/security.md
§11): a process without credentials, or with a wrong password, gets nothing, and a service's
principal may write only its own topics and read only what it consumes. On the real test broker,
with the platform's real topic names and consumer groups."""

from __future__ import annotations

import logging
import uuid

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import (
    GroupAuthorizationFailedError,
    KafkaError,
    NoBrokersAvailable,
    TopicAuthorizationFailedError,
)

from contracts import topics
from linkwell_runtime.kafka_auth import KafkaCredentials, connection
from linkwell_runtime.testing import wait_until
from linkwell_runtime.topics import ensure_topics

QUICK = {"request_timeout_ms": 6000, "api_version_auto_timeout_ms": 6000}
NOBODY = KafkaCredentials(kafka_sasl_username="")  # no SASL at all, as any local process could try


@pytest.fixture(scope="module")
def platform_topics(kafka_bootstrap):
    """The platform's own topics on the test broker (created as admin, the tests' principal)."""
    names = topics.deployed()
    ensure_topics(kafka_bootstrap, names, partitions=1)
    return names


@pytest.fixture(autouse=True)
def _quiet_refusals():
    # kafka-python logs every refused connection at ERROR; the refusals are what is tested here
    logging.getLogger("kafka").setLevel(logging.CRITICAL)
    yield
    logging.getLogger("kafka").setLevel(logging.NOTSET)


def produce(
    bootstrap: str, credentials: KafkaCredentials, topic: str, key: bytes = b"k", partition: int | None = None
) -> None:
    producer = KafkaProducer(**connection(bootstrap, credentials), acks="all", max_block_ms=8000, **QUICK)
    try:
        producer.send(topic, key=key, value=b"forged event", partition=partition).get(timeout=15)
    finally:
        producer.close(timeout=2)


def read(bootstrap: str, credentials: KafkaCredentials, topic: str, group: str | None = None) -> list[bytes]:
    """The keys of the topic's records (partition 0, from the beginning), up to its end or a few polls'
    worth."""
    consumer = KafkaConsumer(
        **connection(bootstrap, credentials),
        group_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        request_timeout_ms=15000,  # above the group session's 10 s
        api_version_auto_timeout_ms=6000,
    )
    try:
        if group is None:
            partition = TopicPartition(topic, 0)
            consumer.assign([partition])
            consumer.seek_to_beginning(partition)
        else:
            consumer.subscribe([topic])
        keys: list[bytes] = []
        ends: dict[TopicPartition, int] = {}
        for _ in range(6):
            got = [r.key for batch in consumer.poll(timeout_ms=1000).values() for r in batch]
            keys += got
            if got and not ends:  # it may read: where the end is now (a refused reader never gets here)
                ends = consumer.end_offsets(list(consumer.assignment()))
            if ends and all(consumer.position(p) >= end for p, end in ends.items()):
                break  # read to the end as it was: everything written before this read is in `keys`
        return keys
    finally:
        consumer.close()


def read_or_nothing(bootstrap: str, credentials: KafkaCredentials, topic: str, group: str | None = None) -> list[bytes]:
    """What a refused reader gets: an error, or (kafka-python retrying) no record at all."""
    try:
        return read(bootstrap, credentials, topic, group)
    except KafkaError:
        return []


def visible_topics(bootstrap: str, credentials: KafkaCredentials) -> set[str]:
    """The topics the broker's metadata shows this principal (only those it may describe)."""
    consumer = KafkaConsumer(**connection(bootstrap, credentials), **QUICK)
    try:
        return set(consumer.topics())
    finally:
        consumer.close()


def test_a_client_without_credentials_cannot_list_read_or_write_topics(
    kafka_bootstrap, kafka_principal, platform_topics
):
    written, forged = uuid.uuid4().hex.encode(), uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, kafka_principal("referral"), topics.REFERRAL, key=written)

    with pytest.raises((NoBrokersAvailable, KafkaError)):
        KafkaAdminClient(**connection(kafka_bootstrap, NOBODY), **QUICK).list_topics()
    assert written not in read_or_nothing(kafka_bootstrap, NOBODY, topics.REFERRAL)
    with pytest.raises((NoBrokersAvailable, KafkaError)):
        produce(kafka_bootstrap, NOBODY, topics.REFERRAL, key=forged)

    on_topic = read(kafka_bootstrap, KafkaCredentials(), topics.REFERRAL)  # the tests' admin sees everything
    assert written in on_topic and forged not in on_topic


def test_a_wrong_password_is_refused(kafka_bootstrap, kafka_principal, platform_topics):
    referral = kafka_principal("referral")
    impostor = KafkaCredentials(kafka_sasl_username="referral", kafka_sasl_password="not-" + referral.sasl_password())
    written = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, kafka_principal("reporting"), topics.COMMISSIONER, key=written)
    with pytest.raises((NoBrokersAvailable, KafkaError)):
        produce(kafka_bootstrap, impostor, topics.REFERRAL)
    reporting_impostor = KafkaCredentials(kafka_sasl_username="reporting", kafka_sasl_password="guess")
    assert written not in read_or_nothing(kafka_bootstrap, reporting_impostor, topics.COMMISSIONER)
    assert written in read(kafka_bootstrap, kafka_principal("reporting"), topics.COMMISSIONER)


def test_a_service_writes_its_own_topic_and_reads_what_it_consumes(kafka_bootstrap, kafka_principal, platform_topics):
    """The control for the refusals below: the same principal, on its own topics, is let through."""
    marker = uuid.uuid4().hex.encode()
    referral, engagement = kafka_principal("referral"), kafka_principal("engagement")
    producer = KafkaProducer(**connection(kafka_bootstrap, referral), acks="all", **QUICK)
    producer.send(topics.REFERRAL, key=marker, value=b"{}").get(timeout=30)
    producer.close()
    seen: list[bytes] = []
    wait_until(
        lambda: seen.extend(read(kafka_bootstrap, engagement, topics.REFERRAL, group="engagement")) or marker in seen,
        timeout=90,
        what="engagement reading the referral topic in its own group",
    )


def test_engagement_cannot_forge_a_referral_event(kafka_bootstrap, kafka_principal, platform_topics):
    with pytest.raises(TopicAuthorizationFailedError):
        produce(kafka_bootstrap, kafka_principal("engagement"), topics.REFERRAL)


def test_engagement_cannot_read_a_topic_it_does_not_consume(kafka_bootstrap, kafka_principal, platform_topics):
    engagement, reporting = kafka_principal("engagement"), kafka_principal("reporting")
    upload = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, reporting, topics.COMMISSIONER, key=upload)  # reporting's own topic
    assert upload not in read_or_nothing(kafka_bootstrap, engagement, topics.COMMISSIONER, group="engagement")
    assert upload not in read_or_nothing(kafka_bootstrap, engagement, topics.COMMISSIONER)
    assert upload in read(kafka_bootstrap, reporting, topics.COMMISSIONER)  # the control: it is there

    seen = visible_topics(kafka_bootstrap, engagement)  # it cannot even learn what else exists
    assert {topics.REFERRAL, topics.DIRECTORY, topics.ENGAGEMENT} <= seen
    assert topics.COMMISSIONER not in seen and topics.REPORTING not in seen


def test_engagement_writes_its_topic_but_cannot_read_it_back(kafka_bootstrap, kafka_principal, platform_topics):
    engagement = kafka_principal("engagement")
    event = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, engagement, topics.ENGAGEMENT, key=event)
    assert event not in read_or_nothing(kafka_bootstrap, engagement, topics.ENGAGEMENT)
    assert event in read(kafka_bootstrap, kafka_principal("reporting"), topics.ENGAGEMENT)  # a consumer of it


def test_a_service_cannot_read_in_another_services_consumer_group(kafka_bootstrap, kafka_principal, platform_topics):
    # referral may read the engagement topic, but only as its own group: joining reporting's would
    # move reporting's offsets
    with pytest.raises(GroupAuthorizationFailedError):
        read(kafka_bootstrap, kafka_principal("referral"), topics.ENGAGEMENT, group="reporting")


def test_the_directory_can_read_nothing(kafka_bootstrap, kafka_principal, platform_topics):
    directory = kafka_principal("directory")
    referral = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, kafka_principal("referral"), topics.REFERRAL, key=referral)
    assert referral not in read_or_nothing(kafka_bootstrap, directory, topics.REFERRAL)
    with pytest.raises(GroupAuthorizationFailedError):  # it has no consumer group either
        read(kafka_bootstrap, directory, topics.DIRECTORY, group="directory")
    assert visible_topics(kafka_bootstrap, directory) == {topics.DIRECTORY}


def test_a_service_cannot_create_topics_or_change_their_retention(kafka_bootstrap, kafka_principal, platform_topics):
    from kafka.admin import ConfigResource, ConfigResourceType, NewTopic

    admin = KafkaAdminClient(**connection(kafka_bootstrap, kafka_principal("reporting")), **QUICK)
    try:
        with pytest.raises(TopicAuthorizationFailedError):
            admin.create_topics([NewTopic(f"linkwell.rogue.{uuid.uuid4().hex[:8]}", 1, 1)])
        answer = admin.alter_configs(
            [ConfigResource(ConfigResourceType.TOPIC, topics.REPORTING, configs={"retention.ms": "1000"})]
        )
        error_code = answer.resources[0][0]
        assert error_code == TopicAuthorizationFailedError.errno, answer  # not even its own topic's retention
    finally:
        admin.close()


def test_the_operator_runs_the_linkwell_commands_but_is_no_super_user(
    kafka_bootstrap, kafka_principal, platform_topics, monkeypatch
):
    """`linkwell status`, `dlq list`, `topics --check` and `rebuild`'s refusal, as the operator's
    principal: the ops functions take their credentials from the environment, as the CLI does. Lag
    and counts are offsets: no record is read."""
    from linkwell_runtime import ops
    from linkwell_runtime.topics import check_retention

    operator = kafka_principal("operator")
    produce(kafka_bootstrap, kafka_principal("reporting"), topics.REPORTING)
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "operator")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD_FILE", operator.kafka_sasl_password_file)

    check_retention(kafka_bootstrap, platform_topics)
    lag = ops.consumer_lag(kafka_bootstrap, "reporting", [topics.REPORTING])
    assert [row["partition"] for row in lag] == [0] and lag[0]["end"] >= 1
    assert ops.message_count(kafka_bootstrap, [topics.REPORTING]) >= 1
    assert ops.group_members(kafka_bootstrap, "reporting") == 0
    assert isinstance(ops.dead_letters(kafka_bootstrap, [topics.dlq(topics.REFERRAL)]), list)
    # not the broker's admin: the consumer offsets and other principals' ACLs are not its to see
    assert "__consumer_offsets" not in visible_topics(kafka_bootstrap, operator)


def test_the_operator_reads_no_event_and_writes_none(kafka_bootstrap, kafka_principal, platform_topics):
    """Event payloads carry clinical codes: whoever holds the operator's password reads none of them,
    and cannot put an event on a topic (issue 15)."""
    operator = kafka_principal("operator")
    referral = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, kafka_principal("referral"), topics.REFERRAL, key=referral)
    assert referral not in read_or_nothing(kafka_bootstrap, operator, topics.REFERRAL)
    assert referral in read(kafka_bootstrap, kafka_principal("engagement"), topics.REFERRAL)  # the control
    for topic in (topics.REFERRAL, topics.ENGAGEMENT, topics.dlq(topics.REFERRAL)):
        with pytest.raises(TopicAuthorizationFailedError):
            produce(kafka_bootstrap, operator, topic)


def test_the_operator_reads_letters_and_writes_retry_requests_which_a_consumer_reads(
    kafka_bootstrap, kafka_principal, platform_topics
):
    operator, engagement = kafka_principal("operator"), kafka_principal("engagement")
    letter = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, engagement, topics.dlq(topics.REFERRAL), key=letter)  # a consumer's letter
    assert letter in read(kafka_bootstrap, operator, topics.dlq(topics.REFERRAL))
    request = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, operator, topics.RETRY, key=request, partition=0)  # where `read` looks
    assert request not in read_or_nothing(kafka_bootstrap, operator, topics.RETRY)  # it writes, it need not read
    for service in ("engagement", "reporting", "referral"):
        assert request in read(kafka_bootstrap, kafka_principal(service), topics.RETRY), service
    with pytest.raises(TopicAuthorizationFailedError):  # only the operator asks for a redrive
        produce(kafka_bootstrap, engagement, topics.RETRY)
    assert request not in read_or_nothing(kafka_bootstrap, kafka_principal("directory"), topics.RETRY)


def test_the_operator_cannot_delete_a_log_of_record(kafka_bootstrap, kafka_principal, platform_topics):
    """Named operations on the platform's topics, not ALL: the event topics are kept for ever."""
    admin = KafkaAdminClient(**connection(kafka_bootstrap, kafka_principal("operator")), request_timeout_ms=15000)
    try:
        with pytest.raises(KafkaError) as refused:
            admin.delete_topics([topics.REFERRAL])
    finally:
        admin.close()
    assert "Authorization" in type(refused.value).__name__ or "authoriz" in str(refused.value).lower()
    assert topics.REFERRAL in visible_topics(kafka_bootstrap, kafka_principal("referral"))  # still there


def test_a_grant_the_platform_no_longer_gives_is_revoked_when_the_acls_are_applied(
    kafka_bootstrap, kafka_principal, platform_topics
):
    """A broker that ran an older version keeps the operator's old reach (READ and WRITE on every
    `linkwell.` topic) until `python -m linkwell_runtime.kafka_acls` runs again: it revokes it."""
    from kafka.admin import ACL, ACLOperation, ACLPermissionType, ResourcePattern, ResourceType
    from kafka.admin.acl_resource import ACLResourcePatternType

    from linkwell_runtime.kafka_acls import apply

    old = ResourcePattern(ResourceType.TOPIC, "linkwell.", ACLResourcePatternType.PREFIXED)
    admin = KafkaAdminClient(**connection(kafka_bootstrap), request_timeout_ms=15000)  # the tests' admin
    try:
        admin.create_acls([ACL("User:operator", "*", ACLOperation.READ, ACLPermissionType.ALLOW, old)])
    finally:
        admin.close()
    event = uuid.uuid4().hex.encode()
    produce(kafka_bootstrap, kafka_principal("referral"), topics.REFERRAL, key=event)
    operator = kafka_principal("operator")
    wait_until(
        lambda: event in read_or_nothing(kafka_bootstrap, operator, topics.REFERRAL),
        timeout=60,
        what="the old grant in force",
    )
    held, revoked = apply(kafka_bootstrap)
    assert revoked == 1 and held > 0
    wait_until(
        lambda: event not in read_or_nothing(kafka_bootstrap, operator, topics.REFERRAL),
        timeout=60,
        what="the old grant revoked",
    )
    assert apply(kafka_bootstrap)[1] == 0  # applied again: nothing more to revoke
