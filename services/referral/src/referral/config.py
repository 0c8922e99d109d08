"""Settings of the referral service: environment only (every variable is listed in the README)."""

from __future__ import annotations

from contracts import topics
from linkwell_runtime.key_wrapping import KeyEncryptionSettings
from linkwell_runtime.settings import PlatformSettings, PseudonymSettings


class Settings(PlatformSettings, PseudonymSettings, KeyEncryptionSettings):  # KEKs wrap the patient keys
    database_url: str = "postgresql://linkwell_referral@127.0.0.1:25432/linkwell_referral"
    http_port: int = 8001
    referral_topic: str = topics.REFERRAL
    patient_pseudonyms_topic: str = (
        topics.PATIENT_PSEUDONYMS
    )  # compacted: each patient's pseudonym, a tombstone once erased
    engagement_topic: str = topics.ENGAGEMENT
    practice_topic: str = topics.PRACTICE  # discharge summaries sent to the practice, kept for the referrer
    consumer_name: str = "referral-engagement-events"
    page_size: int = 50
    seed_reference_data: bool = True
