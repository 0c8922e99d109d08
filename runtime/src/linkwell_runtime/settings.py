"""Settings base: environment only (pydantic-settings). Every variable is listed in the README."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_JWT_SECRET = "linkwell-development-secret-change-me-0123456789"


class PlatformSettings(BaseSettings):
    """What every process needs. Services subclass it and add their own fields."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    environment: str = "development"  # development | test | production
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str = "postgresql://postgres:postgres@127.0.0.1:55432/postgres"
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_issuer: str = "linkwell"
    jwt_ttl_minutes: int = 480
    timezone: str = "Europe/London"  # the zone whose date is "today" for business dates
    consumer_batch_size: int = 1000
    consumer_batch_seconds: float = 0.5

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> PlatformSettings:
        if self.environment not in ("development", "test") and self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError("JWT_SECRET must be set to a real secret outside development and test")
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        return self

    @property
    def safe_database_url(self) -> str:
        """The database URL without its password, for logs."""
        parts = urlsplit(self.database_url)
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}:{parts.port}" if parts.username else f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


DEVELOPMENT_PSEUDONYM_SECRET = "linkwell-development-pseudonym-secret-change-me"


class PseudonymSettings(BaseSettings):
    """For services that match NHS numbers by keyed pseudonym (referral publishes them, reporting
    matches commissioner rows to them): one setting name and default, so the two always agree."""

    pseudonym_secret: str = DEVELOPMENT_PSEUDONYM_SECRET

    @model_validator(mode="after")
    def _refuse_development_pseudonym_secret(self) -> PseudonymSettings:
        environment = getattr(self, "environment", "development")
        if environment not in ("development", "test") and self.pseudonym_secret == DEVELOPMENT_PSEUDONYM_SECRET:
            raise ValueError("PSEUDONYM_SECRET must be set to a real secret outside development and test")
        if len(self.pseudonym_secret.encode()) < 32:
            raise ValueError("PSEUDONYM_SECRET must be at least 32 bytes")
        return self

    @property
    def pseudonym_key(self) -> bytes:
        return self.pseudonym_secret.encode("utf-8")
