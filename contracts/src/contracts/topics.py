"""Topic names (docs/architecture.md §2). Each has a dead-letter twin `<topic>.dlq`."""

REFERRAL = "linkwell.referral.v1"
ENGAGEMENT = "linkwell.engagement.v1"
DIRECTORY = "linkwell.directory.v1"
COMMISSIONER = "linkwell.commissioner.v1"
REPORTING = "linkwell.reporting.v1"

ALL = (REFERRAL, ENGAGEMENT, DIRECTORY, COMMISSIONER, REPORTING)
DEFAULT_PARTITIONS = 6


def dlq(topic: str) -> str:
    return f"{topic}.dlq"
