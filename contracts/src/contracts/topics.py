"""Topic names (docs/architecture.md §2). Each event topic has a dead-letter twin `<topic>.dlq`;
the ops topic `RETRY` carries the operator's retry requests (contracts.retry_request) to consumers."""

REFERRAL = "linkwell.referral.v1"
ENGAGEMENT = "linkwell.engagement.v1"
DIRECTORY = "linkwell.directory.v1"
COMMISSIONER = "linkwell.commissioner.v1"
REPORTING = "linkwell.reporting.v1"
PRACTICE = "linkwell.practice.v1"  # GP-facing messages: discharge summaries to the referrer's practice
# Compacted: each patient's NHS-number pseudonym, a tombstone once erased (contracts.patient_pseudonyms)
PATIENT_PSEUDONYMS = "linkwell.referral.patient-pseudonyms.v1"

EVENT_TOPICS = (REFERRAL, ENGAGEMENT, DIRECTORY, COMMISSIONER, REPORTING, PRACTICE)  # envelopes, kept for ever
COMPACTED_TOPICS = (PATIENT_PSEUDONYMS,)  # the latest record per key
ALL = EVENT_TOPICS + COMPACTED_TOPICS
DEFAULT_PARTITIONS = 6

# Retry requests from `linkwell dlq redrive`: which record a consumer group should apply again. The
# only platform topic the operator's principal may write; it carries no event content.
RETRY = "linkwell.ops.retry.v1"
OPS = (RETRY,)


# Event topics are the platform's log of record (reporting and referral rebuild from them), so they
# keep every event, whatever the broker's default (7 days). Dead letters wait for an operator to fix
# the cause and redrive them; they are kept for 90 days.
EVENT_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}
DEAD_LETTER_RETENTION_DAYS = 90
DEAD_LETTER_TOPIC_CONFIG = {"retention.ms": str(DEAD_LETTER_RETENTION_DAYS * 86_400_000), "retention.bytes": "-1"}
# A retry request is acted on within seconds; kept as long as the letters it names, for the record.
OPS_TOPIC_CONFIG = DEAD_LETTER_TOPIC_CONFIG

# A compacted topic keeps the latest record of each key and nothing older: a record superseded, or a
# key's value followed by a tombstone (null), is cleaned away. The active segment is never cleaned and
# is rolled only when a record is appended to its partition, so: segments roll after an hour (at the
# next append), the cleaner takes a log as soon as 1% of it is superseded, and no superseded record
# waits more than a day once its segment has rolled; a tombstone itself is kept a day (a consumer
# that is behind still sees the key go), then removed too. Nothing expires by age
# (retention.ms=-1): the latest record of a live key is kept for ever.
_HOUR_MS, _DAY_MS = 3_600_000, 86_400_000
COMPACTED_TOPIC_CONFIG = {
    "cleanup.policy": "compact",
    "retention.ms": "-1",
    "retention.bytes": "-1",
    "segment.ms": str(_HOUR_MS),
    "min.cleanable.dirty.ratio": "0.01",
    "max.compaction.lag.ms": str(_DAY_MS),
    "delete.retention.ms": str(_DAY_MS),
}


def dlq(topic: str) -> str:
    return f"{topic}.dlq"


def is_dead_letter_topic(name: str) -> bool:
    return name.endswith(".dlq")


def is_compacted_topic(name: str) -> bool:
    """A compacted topic, also under a deployment's prefix (deploy/bin/topics --prefix)."""
    return any(name.endswith(topic) for topic in COMPACTED_TOPICS)


def is_ops_topic(name: str) -> bool:
    return name.endswith(OPS)  # with or without a test's prefix


def deployed(prefix: str = "") -> list[str]:
    """Every topic a deployment creates: each event and compacted topic, its dead-letter twin, and
    the ops topics."""
    return [prefix + name for base in ALL for name in (base, dlq(base))] + [prefix + name for name in OPS]


def topic_config(name: str) -> dict[str, str]:
    """The configuration a Linkwell topic must have: kept for ever, for a stated time if dead letters
    or retry requests, or compacted."""
    if is_dead_letter_topic(name):
        return dict(DEAD_LETTER_TOPIC_CONFIG)
    if is_ops_topic(name):
        return dict(OPS_TOPIC_CONFIG)
    return dict(COMPACTED_TOPIC_CONFIG if is_compacted_topic(name) else EVENT_TOPIC_CONFIG)
