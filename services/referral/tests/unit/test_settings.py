"""Settings: the development pseudonym secret and key-encryption key are refused outside development
and test, and production needs a KEK from PATIENT_KEK_FILE or PATIENT_KEK."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from linkwell_runtime.key_wrapping import DEVELOPMENT_KEK, new_kek_entry
from referral.config import Settings

REAL_JWT = "a-real-jwt-secret-of-at-least-32-characters"
REAL_PSEUDONYM = "p" * 40


def test_development_pseudonym_secret_is_refused_in_production():
    with pytest.raises(ValidationError, match="PSEUDONYM_SECRET"):
        Settings(environment="production", jwt_secret=REAL_JWT, patient_kek=new_kek_entry("k1"))


def test_short_pseudonym_secret_is_refused():
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(pseudonym_secret="short")


def test_production_without_a_key_encryption_key_is_refused_naming_the_setting(monkeypatch):
    monkeypatch.delenv("PATIENT_KEK", raising=False)
    monkeypatch.delenv("PATIENT_KEK_FILE", raising=False)
    with pytest.raises(ValidationError, match="PATIENT_KEK_FILE \\(or PATIENT_KEK\\) must give"):
        Settings(environment="production", jwt_secret=REAL_JWT, pseudonym_secret=REAL_PSEUDONYM)


def test_the_development_key_encryption_key_is_refused_in_production():
    with pytest.raises(ValidationError, match="development KEK is refused"):
        Settings(
            environment="production", jwt_secret=REAL_JWT, pseudonym_secret=REAL_PSEUDONYM, patient_kek=DEVELOPMENT_KEK
        )


def test_a_malformed_key_encryption_key_is_refused_without_quoting_it():
    with pytest.raises(ValidationError) as refused:
        Settings(environment="test", patient_kek="k1:c2hvcnQ=")  # 5 bytes
    assert "must be 32 bytes" in str(refused.value) and "c2hvcnQ" not in str(refused.value)


def test_the_key_encryption_keys_come_from_a_file_current_first(tmp_path):
    kek_file = tmp_path / "keks"
    kek_file.write_text(f"{new_kek_entry('2026-06')}\n{new_kek_entry('2025-01')}\n")
    kek_file.chmod(0o600)
    settings = Settings(environment="test", patient_kek_file=str(kek_file))
    assert settings.key_encryption_keys.current == "2026-06"
    assert list(settings.key_encryption_keys.keys) == ["2026-06", "2025-01"]


def test_production_accepts_real_secrets_and_defaults_to_the_referral_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings(
        environment="production", jwt_secret=REAL_JWT, pseudonym_secret=REAL_PSEUDONYM, patient_kek=new_kek_entry("k1")
    )
    assert settings.database_url.endswith("/linkwell_referral")
    assert settings.http_port == 8001
    assert settings.key_encryption_keys.current == "k1"
