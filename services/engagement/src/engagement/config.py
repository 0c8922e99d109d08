"""Settings of the engagement service: environment only (every variable is listed in the README)."""

from __future__ import annotations

from contracts import topics
from linkwell_runtime.key_wrapping import KeyEncryptionSettings
from linkwell_runtime.settings import PlatformSettings


class Settings(PlatformSettings, KeyEncryptionSettings):  # KEKs wrap the keys of the sealed case texts
    database_url: str = "postgresql://linkwell_engagement@127.0.0.1:25432/linkwell_engagement"
    http_port: int = 8002
    engagement_topic: str = topics.ENGAGEMENT  # where the case's events are published
    referral_topic: str = topics.REFERRAL  # consumed: cases open from allocations
    directory_topic: str = topics.DIRECTORY  # consumed: the local copy of the directory
    practice_topic: str = topics.PRACTICE  # where discharge summaries go to the referrer's practice
    consumer_name: str = "engagement"  # faust app id and the consumer's name in processed_events
    page_size: int = 50  # GET /cases page size
    case_cache_size: int = 2000  # folded cases an API process keeps between commands (0: none)
