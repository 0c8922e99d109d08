"""Settings of the reporting service: environment only (every variable is listed in the README)."""
from __future__ import annotations

from pydantic import model_validator

from contracts import topics
from linkwell_runtime.settings import PlatformSettings

# The SAME setting name and development default as the referral service: the NHS number pseudonyms
# of commissioner uploads must match the ones on `ReferralReceived`.
DEVELOPMENT_PSEUDONYM_SECRET = "linkwell-development-pseudonym-secret-change-me"


class Settings(PlatformSettings):
    database_url: str = "postgresql://linkwell_reporting:linkwell_reporting@127.0.0.1:55432/linkwell_reporting"
    http_port: int = 8004
    referral_topic: str = topics.REFERRAL  # consumed
    engagement_topic: str = topics.ENGAGEMENT  # consumed
    commissioner_topic: str = topics.COMMISSIONER  # published (uploads) and consumed (rebuilds)
    reporting_topic: str = topics.REPORTING  # published: ClaimClosed
    consumer_name: str = "reporting"  # faust app id and the consumer's name in processed_events
    pseudonym_secret: str = DEVELOPMENT_PSEUDONYM_SECRET
    timezone: str = "Europe/London"  # "today" (default as_of) is this zone's date

    @model_validator(mode="after")
    def _refuse_development_pseudonym_secret(self) -> Settings:
        if self.environment not in ("development", "test") and self.pseudonym_secret == DEVELOPMENT_PSEUDONYM_SECRET:
            raise ValueError("PSEUDONYM_SECRET must be set to a real secret outside development and test")
        if len(self.pseudonym_secret.encode()) < 32:
            raise ValueError("PSEUDONYM_SECRET must be at least 32 bytes")
        return self

    @property
    def pseudonym_key(self) -> bytes:
        return self.pseudonym_secret.encode("utf-8")

    @property
    def consumed_topics(self) -> list[str]:
        return [self.referral_topic, self.engagement_topic, self.commissioner_topic]
