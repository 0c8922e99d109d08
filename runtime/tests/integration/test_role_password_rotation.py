"""`linkwell db-password rotate SERVICE [--owner]` (docs/security.md §11) on a database as deployed:
the role gets a new generated password, set as a SCRAM verifier by the role itself, written to its
owner-only file; the old password stops working; a run interrupted after the change is finished by
the next; a refused current password changes nothing."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
import pytest
from psycopg2 import sql

from linkwell_runtime import cli
from linkwell_runtime.testing import admin, query


def _split(url: str) -> tuple[str, str]:
    """(the URL without its password, the password)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{host}")), unquote(parts.password or "")


def _with(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{password}@{host}"))


def _logs_in(url: str, password: str) -> bool:
    try:
        psycopg2.connect(_with(url, password), connect_timeout=5).close()
    except psycopg2.OperationalError:
        return False
    return True


@pytest.fixture
def service_login(role_database, tmp_path, monkeypatch):
    """The referral service role's login as `linkwell` finds it: a URL and an owner-only file."""
    url, password = _split(role_database.service_url)
    file = tmp_path / "pg-service.password"
    file.write_text(password + "\n")
    file.chmod(0o600)
    monkeypatch.setenv("REFERRAL_DATABASE_URL", url)
    monkeypatch.setenv("REFERRAL_DATABASE_PASSWORD_FILE", str(file))
    return url, password, file


def test_the_service_role_gets_a_new_password_in_its_owner_only_file_and_the_old_one_stops(
    service_login, role_database, postgres_url
):
    url, old, file = service_login
    assert cli.main(["db-password", "rotate", "referral"]) == cli.OK
    new = file.read_text().strip()
    assert re.fullmatch(r"[0-9a-f]{48}", new) and new != old and new != role_database.service
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert not Path(f"{file}.new").exists()
    assert _logs_in(url, new) and not _logs_in(url, old)
    (stored,) = query(postgres_url, "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role_database.service,))[0]
    assert stored.startswith("SCRAM-SHA-256$")


def test_the_schema_owner_is_rotated_with_owner(role_database, tmp_path, monkeypatch):
    url, old = _split(role_database.owner_url)
    file = tmp_path / "pg-owner.password"
    file.write_text(old)
    file.chmod(0o600)
    monkeypatch.setenv("REFERRAL_DATABASE_OWNER_URL", url)
    monkeypatch.setenv("REFERRAL_DATABASE_OWNER_PASSWORD_FILE", str(file))
    service_url, service_password = _split(role_database.service_url)
    monkeypatch.setenv("REFERRAL_DATABASE_URL", service_url)
    assert cli.main(["db-password", "rotate", "referral", "--owner"]) == cli.OK
    assert _logs_in(url, file.read_text().strip()) and not _logs_in(url, old)
    assert _logs_in(service_url, service_password)  # the service role is untouched


def test_a_run_interrupted_after_the_change_is_finished_by_the_next(service_login, role_database, postgres_url):
    url, _old, file = service_login
    pending = Path(f"{file}.new")
    pending.write_text("0123456789abcdef0123456789abcdef0123456789abcdef\n")
    pending.chmod(0o600)
    admin(
        postgres_url,
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(role_database.service), sql.Literal("0123456789abcdef0123456789abcdef0123456789abcdef")
        ),
    )
    assert cli.main(["db-password", "rotate", "referral"]) == cli.OK
    assert file.read_text().strip() == "0123456789abcdef0123456789abcdef0123456789abcdef" and not pending.exists()
    assert _logs_in(url, file.read_text().strip())


def test_a_refused_current_password_changes_nothing(service_login, capsys):
    url, old, file = service_login
    file.write_text("not-the-password\n")
    assert cli.main(["db-password", "rotate", "referral"]) == cli.REFUSED
    assert "refusing" in capsys.readouterr().err
    assert file.read_text() == "not-the-password\n" and not Path(f"{file}.new").exists()
    assert _logs_in(url, old)


def test_a_missing_password_file_is_not_found(service_login, monkeypatch, tmp_path):
    monkeypatch.setenv("REFERRAL_DATABASE_PASSWORD_FILE", str(tmp_path / "absent.password"))
    assert cli.main(["db-password", "rotate", "referral"]) == cli.NOT_FOUND
