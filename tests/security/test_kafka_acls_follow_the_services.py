"""The Kafka ACLs (linkwell_runtime.kafka_acls) are derived by hand from the services' settings: these
checks fail when a service publishes, consumes or names its consumer group differently from what its
principal is allowed, or when the broker's list of principals and the ACLs' disagree."""

from __future__ import annotations

from pathlib import Path

from contracts import topics
from directory.config import Settings as DirectorySettings
from engagement.config import Settings as EngagementSettings
from linkwell_runtime.kafka_acls import PRINCIPALS, SERVICES, acls
from referral.config import Settings as ReferralSettings
from reporting.config import Settings as ReportingSettings

ROOT = Path(__file__).resolve().parents[2]


def test_each_service_may_write_what_it_publishes_and_read_what_it_consumes():
    referral, engagement = ReferralSettings(environment="test"), EngagementSettings(environment="test")
    directory, reporting = DirectorySettings(environment="test"), ReportingSettings(environment="test")

    assert SERVICES["referral"].writes == (referral.referral_topic, referral.patient_pseudonyms_topic)
    assert set(SERVICES["referral"].reads) == {referral.engagement_topic, referral.practice_topic}  # its consumer's
    assert SERVICES["referral"].groups == (referral.consumer_name,)

    assert set(SERVICES["engagement"].writes) == {engagement.engagement_topic, engagement.practice_topic}
    assert set(SERVICES["engagement"].reads) == {engagement.referral_topic, engagement.directory_topic}
    assert SERVICES["engagement"].groups == (engagement.consumer_name,)

    assert SERVICES["directory"].writes == (directory.directory_topic,)
    assert SERVICES["directory"].reads == () and SERVICES["directory"].groups == ()

    assert set(SERVICES["reporting"].writes) == {reporting.commissioner_topic, reporting.reporting_topic}
    assert set(SERVICES["reporting"].reads) == set(reporting.consumed_topics)
    assert SERVICES["reporting"].groups == (reporting.consumer_name,)


def test_a_consumer_may_write_the_dead_letters_of_what_it_reads_and_nothing_else():
    for grant in SERVICES.values():
        assert grant.dead_letters == tuple(f"{topic}.dlq" for topic in grant.reads)


def test_the_operator_may_read_letters_and_write_retry_requests_but_no_event_topic():
    from kafka.admin import ACLOperation, ResourceType

    granted = [
        a for a in acls() if a.principal == "User:operator" and a.resource_pattern.resource_type == ResourceType.TOPIC
    ]
    reads = {a.resource_pattern.resource_name for a in granted if a.operation == ACLOperation.READ}
    writes = {a.resource_pattern.resource_name for a in granted if a.operation == ACLOperation.WRITE}
    assert reads == {topics.dlq(t) for t in topics.ALL} and writes == {topics.RETRY}
    assert not any(a.operation == ACLOperation.ALL for a in granted)


def test_every_consumer_reads_the_retry_requests():
    from kafka.admin import ACLOperation

    readers = {
        a.principal.removeprefix("User:")
        for a in acls()
        if a.operation == ACLOperation.READ and a.resource_pattern.resource_name == topics.RETRY
    }
    assert readers == {name for name, grant in SERVICES.items() if grant.groups}


def test_the_broker_registers_every_principal_the_acls_name():
    listed = [
        line.strip()
        for line in (ROOT / "deploy" / "kafka" / "principals").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert listed == list(PRINCIPALS)
