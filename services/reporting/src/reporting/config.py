"""Settings of the reporting service: environment only (every variable is listed in the README)."""

from __future__ import annotations

from contracts import topics
from linkwell_runtime.settings import PlatformSettings, PseudonymSettings


class Settings(PlatformSettings, PseudonymSettings):
    database_url: str = "postgresql://linkwell_reporting@127.0.0.1:25432/linkwell_reporting"
    http_port: int = 8004
    referral_topic: str = topics.REFERRAL  # consumed
    engagement_topic: str = topics.ENGAGEMENT  # consumed
    commissioner_topic: str = topics.COMMISSIONER  # published (uploads) and consumed (rebuilds)
    reporting_topic: str = topics.REPORTING  # published: ClaimClosed
    # consumed: each patient's NHS-number pseudonym, a tombstone once erased (compacted; not events)
    patient_pseudonyms_topic: str = topics.PATIENT_PSEUDONYMS
    consumer_name: str = "reporting"  # faust app id and the consumer's name in processed_events

    @property
    def consumed_topics(self) -> list[str]:
        return [self.referral_topic, self.engagement_topic, self.commissioner_topic, self.patient_pseudonyms_topic]
