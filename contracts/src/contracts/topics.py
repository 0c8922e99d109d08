"""Topic names (docs/architecture.md §2). Each has a dead-letter twin `<topic>.dlq`."""

REFERRAL = "linkwell.referral.v1"
ENGAGEMENT = "linkwell.engagement.v1"
DIRECTORY = "linkwell.directory.v1"
COMMISSIONER = "linkwell.commissioner.v1"
REPORTING = "linkwell.reporting.v1"
PRACTICE = "linkwell.practice.v1"  # GP-facing messages: discharge summaries to the referrer's practice

ALL = (REFERRAL, ENGAGEMENT, DIRECTORY, COMMISSIONER, REPORTING, PRACTICE)
DEFAULT_PARTITIONS = 6


# Event topics are the platform's log of record (reporting and referral rebuild from them), so they
# keep every event, whatever the broker's default (7 days). Dead letters wait for an operator to fix
# the cause and redrive them; they are kept for 90 days.
EVENT_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}
DEAD_LETTER_RETENTION_DAYS = 90
DEAD_LETTER_TOPIC_CONFIG = {"retention.ms": str(DEAD_LETTER_RETENTION_DAYS * 86_400_000), "retention.bytes": "-1"}


def dlq(topic: str) -> str:
    return f"{topic}.dlq"


def is_dead_letter_topic(name: str) -> bool:
    return name.endswith(".dlq")


def topic_config(name: str) -> dict[str, str]:
    """The configuration a Linkwell topic must have: kept for ever, or for a stated time if dead letters."""
    return dict(DEAD_LETTER_TOPIC_CONFIG if is_dead_letter_topic(name) else EVENT_TOPIC_CONFIG)
