"""Settings of the referral service: environment only (every variable is listed in the README)."""
from __future__ import annotations

from pydantic import model_validator

from contracts import topics
from linkwell_runtime.settings import PlatformSettings

DEVELOPMENT_PSEUDONYM_SECRET = "linkwell-development-pseudonym-secret-change-me"


class Settings(PlatformSettings):
    database_url: str = "postgresql://linkwell_referral:linkwell_referral@127.0.0.1:55432/linkwell_referral"
    http_port: int = 8001
    referral_topic: str = topics.REFERRAL
    engagement_topic: str = topics.ENGAGEMENT
    consumer_name: str = "referral-engagement-events"
    pseudonym_secret: str = DEVELOPMENT_PSEUDONYM_SECRET
    timezone: str = "Europe/London"  # "today" for business dates
    page_size: int = 50
    seed_reference_data: bool = True

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
