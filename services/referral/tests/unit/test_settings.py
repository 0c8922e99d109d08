"""Settings: the development pseudonym secret is refused outside development and test."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from referral.config import Settings

REAL_JWT = "a-real-jwt-secret-of-at-least-32-characters"


def test_development_pseudonym_secret_is_refused_in_production():
    with pytest.raises(ValidationError, match="PSEUDONYM_SECRET"):
        Settings(environment="production", jwt_secret=REAL_JWT)


def test_short_pseudonym_secret_is_refused():
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(pseudonym_secret="short")


def test_production_accepts_real_secrets_and_defaults_to_the_referral_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(environment="production", jwt_secret=REAL_JWT, pseudonym_secret="p" * 40)
    assert settings.database_url.endswith("/linkwell_referral")
    assert settings.http_port == 8001
