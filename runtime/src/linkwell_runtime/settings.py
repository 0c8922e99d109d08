"""Settings base: environment only (pydantic-settings). Every variable is listed in the README.

The platform fails closed (docs/security.md): no process starts unless `ENVIRONMENT` names where it
runs, and the development secrets written in this repository (the JWT secret, the pseudonym key, the
key-encryption key) are accepted only when that is `development` or `test`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.topics import RETRY
from linkwell_runtime.kafka_auth import KafkaCredentials
from linkwell_runtime.secret_files import read_secret_file

DEVELOPMENT_JWT_SECRET = "linkwell-development-secret-change-me-0123456789"

ENVIRONMENTS = ("development", "test", "staging", "production")
DEVELOPMENT_ENVIRONMENTS = frozenset({"development", "test"})  # where the repository's secrets are accepted


def is_development(environment: str) -> bool:
    return environment in DEVELOPMENT_ENVIRONMENTS


class PlatformSettings(KafkaCredentials, BaseSettings):
    """What every process needs. Services subclass it and add their own fields. The Kafka principal
    (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE, ...) comes from KafkaCredentials."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # No default: a process that is not told where it runs refuses to start (it would otherwise
    # accept the development secrets). One of ENVIRONMENTS.
    environment: str = ""
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    database_url: str = "postgresql://postgres:postgres@127.0.0.1:25432/postgres"
    # The service role's password from a file (owner-only, docs/security.md §11) instead of in the URL.
    database_password_file: str = ""
    # The schema owner (runs the migrations at start when set; otherwise a process whose schema is
    # behind refuses to start) and its password file. Empty: DATABASE_URL's role migrates if it may.
    database_owner_url: str = ""
    database_owner_password_file: str = ""
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_issuer: str = "linkwell"
    jwt_audience: str = ""  # the audience this API accepts; empty: its own, `urn:linkwell:<service>` (auth.audience)
    jwt_ttl_minutes: int = 480  # the longest lifetime (exp - iat) a token may have; longer ones are refused
    timezone: str = "Europe/London"  # the zone whose date is "today" for business dates
    consumer_batch_size: int = 1000
    retry_topic: str = RETRY  # where `linkwell dlq redrive` asks consumers to apply a record again
    consumer_batch_seconds: float = 0.5
    # How long the group waits for a consumer that stopped without leaving (killed) before its
    # partitions go to another; the broker's floor is 6 s (group.min.session.timeout.ms).
    consumer_session_timeout_seconds: float = Field(default=10.0, ge=6.0)

    @field_validator("environment", mode="after")
    @classmethod
    def _environment_named(cls, value: str) -> str:
        if not value:
            raise ValueError(
                "ENVIRONMENT is not set: name the environment this process runs in explicitly"
                f" ({', '.join(ENVIRONMENTS)}); the platform does not start without it"
            )
        if value not in ENVIRONMENTS:
            raise ValueError(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}")
        return value

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> PlatformSettings:
        if not is_development(self.environment) and self.jwt_secret == DEVELOPMENT_JWT_SECRET:
            raise ValueError(
                f"JWT_SECRET must be set to a real secret outside development and test (ENVIRONMENT={self.environment})"
            )
        if len(self.jwt_secret) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        if self.jwt_ttl_minutes < 1:
            raise ValueError("JWT_TTL_MINUTES must be at least 1")
        return self

    @model_validator(mode="after")
    def _passwords_from_files(self) -> PlatformSettings:
        if self.database_password_file:
            self.database_url = with_password_from(self.database_url, self.database_password_file)
        if self.database_owner_password_file:
            if not self.database_owner_url:
                raise ValueError("DATABASE_OWNER_PASSWORD_FILE is set but DATABASE_OWNER_URL is not")
            self.database_owner_url = with_password_from(self.database_owner_url, self.database_owner_password_file)
        return self

    @property
    def development(self) -> bool:
        """Whether the development secrets and development token subjects are accepted."""
        return is_development(self.environment)

    @property
    def safe_database_url(self) -> str:
        """The database URL without its password, for logs."""
        parts = urlsplit(self.database_url)
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}:{parts.port}" if parts.username else f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def with_password_from(url: str, password_file: str) -> str:
    """`url` (postgresql://user@host:port/db) with the password read from `password_file`."""
    parts = urlsplit(url)
    if not parts.username:
        raise ValueError("a database URL given a password file must name its user")
    password = quote(read_secret_file(password_file), safe="")
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{parts.username}:{password}@{host}", parts.path, parts.query, parts.fragment))


DEVELOPMENT_PSEUDONYM_SECRET = "linkwell-development-pseudonym-secret-change-me"


class PseudonymSettings(BaseSettings):
    """For services that match NHS numbers by keyed pseudonym (referral publishes them, reporting
    matches commissioner rows to them): one setting name and default, so the two always agree."""

    pseudonym_secret: str = DEVELOPMENT_PSEUDONYM_SECRET

    @model_validator(mode="after")
    def _refuse_development_pseudonym_secret(self) -> PseudonymSettings:
        environment = getattr(self, "environment", "")
        if not is_development(environment) and self.pseudonym_secret == DEVELOPMENT_PSEUDONYM_SECRET:
            raise ValueError("PSEUDONYM_SECRET must be set to a real secret outside development and test")
        if len(self.pseudonym_secret.encode()) < 32:
            raise ValueError("PSEUDONYM_SECRET must be at least 32 bytes")
        return self

    @property
    def pseudonym_key(self) -> bytes:
        return self.pseudonym_secret.encode("utf-8")
