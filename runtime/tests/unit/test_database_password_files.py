"""Database passwords from owner-only files (docs/security.md §11): `DATABASE_PASSWORD_FILE` and
`DATABASE_OWNER_PASSWORD_FILE` put the file's password into the URLs; a file others may read, an empty
or missing one, or a URL without a user is refused with a message naming the problem."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from linkwell_runtime.settings import PlatformSettings


def secret(tmp_path, text: str, mode: int = 0o600):
    path = tmp_path / "pg.password"
    path.write_text(text)
    path.chmod(mode)
    return path


def test_the_password_file_goes_into_the_database_url(tmp_path):
    path = secret(tmp_path, "s3cr/t:p@ss\n")
    settings = PlatformSettings(
        environment="test",
        database_url="postgresql://linkwell_referral@127.0.0.1:25432/linkwell_referral",
        database_password_file=str(path),
    )
    assert settings.database_url == "postgresql://linkwell_referral:s3cr%2Ft%3Ap%40ss@127.0.0.1:25432/linkwell_referral"
    assert "s3cr" not in settings.safe_database_url


def test_the_owner_url_takes_its_own_file(tmp_path, monkeypatch):
    path = secret(tmp_path, "0wner")
    monkeypatch.setenv("DATABASE_OWNER_URL", "postgresql://linkwell_referral_owner@db:5432/linkwell_referral")
    monkeypatch.setenv("DATABASE_OWNER_PASSWORD_FILE", str(path))
    settings = PlatformSettings(environment="test")
    assert settings.database_owner_url == "postgresql://linkwell_referral_owner:0wner@db:5432/linkwell_referral"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_a_password_file_others_may_read_is_refused(tmp_path, mode):
    path = secret(tmp_path, "pw", mode)
    with pytest.raises(ValidationError, match="may be read by others"):
        PlatformSettings(environment="test", database_url="postgresql://u@h:1/d", database_password_file=str(path))


def test_an_empty_or_missing_file_or_a_url_without_its_user_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="is empty"):
        PlatformSettings(
            environment="test", database_url="postgresql://u@h:1/d", database_password_file=str(secret(tmp_path, "\n"))
        )
    with pytest.raises(ValidationError, match="cannot read the secret file"):
        PlatformSettings(
            environment="test", database_url="postgresql://u@h:1/d", database_password_file=str(tmp_path / "none")
        )
    with pytest.raises(ValidationError, match="must name its user"):
        PlatformSettings(
            environment="test", database_url="postgresql://h:1/d", database_password_file=str(secret(tmp_path, "pw"))
        )
    with pytest.raises(ValidationError, match="DATABASE_OWNER_URL is not"):
        PlatformSettings(environment="test", database_owner_password_file=str(secret(tmp_path, "pw")))
