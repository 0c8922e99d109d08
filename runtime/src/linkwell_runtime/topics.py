"""The deployment's topics: created with the configuration contracts.topics gives them (event topics
keep every event; dead letters a stated time), brought back to it when they drifted, and checked
before a consumer starts, so a rebuild a week after go-live can never find history gone."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError

from contracts.topics import topic_config
from linkwell_runtime.kafka_auth import connection


class TopicMisconfigured(RuntimeError):
    """A topic does not keep what it must (or does not exist): refuse to run on it."""


@dataclass
class TopicsReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    reconfigured: list[str] = field(default_factory=list)


def admin_client(bootstrap: str) -> KafkaAdminClient:
    return KafkaAdminClient(**connection(bootstrap), client_id="linkwell-topics", request_timeout_ms=30000)


def ensure_topics(
    bootstrap: str,
    names: Sequence[str],
    partitions: int,
    replication_factor: int = 1,
    min_insync_replicas: int | None = None,
) -> TopicsReport:
    """Create missing topics with their configuration and set it again on existing ones that drifted.

    A cluster gives `replication_factor` (3) and `min_insync_replicas` (2: an acks=all write is on two
    brokers before it is acknowledged); a single broker keeps 1 and the broker's default."""
    report = TopicsReport()
    admin = admin_client(bootstrap)
    extra = {} if min_insync_replicas is None else {"min.insync.replicas": str(min_insync_replicas)}
    try:
        present = set(admin.list_topics())
        for name in names:
            if name not in present:
                try:
                    admin.create_topics(
                        [NewTopic(name, partitions, replication_factor, topic_configs=topic_config(name) | extra)]
                    )
                    report.created.append(name)
                    continue
                except TopicAlreadyExistsError:  # raced with another creator
                    pass
            report.existing.append(name)
        drifted = [name for name in report.existing if configured(admin, [name])[name] != topic_config(name)]
        if drifted:
            # AlterConfigs replaces a topic's whole set: min.insync.replicas goes with the retention.
            admin.alter_configs(
                [ConfigResource(ConfigResourceType.TOPIC, n, configs=topic_config(n) | extra) for n in drifted]
            )
            report.reconfigured = drifted
    finally:
        admin.close()
    return report


def configured(admin: KafkaAdminClient, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each topic's settings that contracts.topics fixes (retention; compaction for a compacted topic)
    as the broker reports them ({} for a topic it does not know)."""
    found: dict[str, dict[str, str]] = {}
    for name in names:
        wanted = dict.fromkeys(topic_config(name))
        [answer] = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, name, configs=wanted)])
        error_code, _message, _type, resource, entries = answer.resources[0][:5]
        found[resource] = {} if error_code else {entry[0]: entry[1] for entry in entries}
    return found


def check_retention(bootstrap: str, names: Sequence[str], settle_seconds: float = 10.0) -> None:
    """Raise TopicMisconfigured, saying what is wrong and how to fix it, unless every topic (and its
    dead-letter twin's retention, where listed) is as contracts.topics says."""
    admin = admin_client(bootstrap)
    try:
        deadline = time.monotonic() + settle_seconds
        while True:
            found = configured(admin, names)
            wrong = [p for p in (_problem(name, found.get(name, {})) for name in names) if p]
            # a topic created a moment ago may not be known to the broker's metadata yet: ask again
            if not any(p.endswith("does not exist") for p in wrong) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        admin.close()
    if wrong:
        raise TopicMisconfigured("; ".join(wrong) + ". Run deploy/bin/topics to create them or set their retention.")


def _problem(name: str, actual: dict[str, str]) -> str | None:
    if not actual:
        return f"topic {name} does not exist"
    wanted = topic_config(name)
    off = {key: (actual.get(key), value) for key, value in wanted.items() if actual.get(key) != value}
    if not off:
        return None
    return f"topic {name} has " + ", ".join(f"{key}={have} (must be {must})" for key, (have, must) in off.items())
