"""A new password for one PostgreSQL role of a service (`linkwell db-password rotate`, docs/security.md §11).

Each step is safe to repeat after an interruption:
1. a generated password (24 random bytes, 48 hex digits) goes into `<file>.new` beside the role's
   password file, owner-only (0600, with the old file's owner);
2. the role, logged in with its current password, changes its own password (a role may) with the
   SCRAM-SHA-256 verifier computed here (libpq's PQencryptPasswordConn), sent as a query parameter: the
   password is never on a command line, in the environment, or in clear on the server or in its logs;
3. the new password is checked by logging in with it, then `<file>.new` is renamed over the file.
A run that finds `<file>.new` already accepted by the server (the last run stopped between 2 and 3)
finishes step 3. Connections already open keep working; a process reads the file when it starts, so
the processes using the role must be restarted (`restart_hint`).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from psycopg2.extensions import encrypt_password

from linkwell_runtime.secret_files import read_secret_file
from linkwell_runtime.settings import with_password_from


@dataclass(frozen=True)
class RoleLogin:
    """Where a role logs in (a URL naming its user, without a password) and its password file."""

    url: str
    password_file: Path

    @property
    def role(self) -> str:
        return urlsplit(self.url).username or ""

    @property
    def pending_file(self) -> Path:
        return self.password_file.with_name(self.password_file.name + ".new")


@dataclass(frozen=True)
class Rotated:
    role: str
    password_file: str
    finished_an_interrupted_run: bool


class CannotLogIn(Exception):
    """The role's current password (its file) is refused: nothing was changed."""


def rotate(login: RoleLogin) -> Rotated:
    if not login.role:
        raise ValueError("the database URL must name the role whose password is rotated")
    if login.pending_file.exists() and _logs_in(login.url, login.pending_file):
        _replace(login)  # an earlier run changed the password but did not rename the file
        return Rotated(login.role, str(login.password_file), True)
    try:
        conn = psycopg2.connect(with_password_from(login.url, str(login.password_file)), connect_timeout=10)
    except psycopg2.OperationalError as exc:
        raise CannotLogIn(f"{login.role} cannot log in with {login.password_file}: {str(exc).strip()}") from None
    try:
        password = secrets.token_hex(24)
        _write_owner_only(login.pending_file, password, like=login.password_file)
        verifier = encrypt_password(password, login.role, scope=conn, algorithm="scram-sha-256")
        with conn.cursor() as cur:
            cur.execute("ALTER ROLE CURRENT_USER PASSWORD %s", (verifier,))
        conn.commit()
    finally:
        conn.close()
    if not _logs_in(login.url, login.pending_file):  # never rename a password the server refuses
        raise CannotLogIn(f"{login.role} does not log in with its new password ({login.pending_file} kept)")
    _replace(login)
    return Rotated(login.role, str(login.password_file), False)


def restart_hint(processes_conf: Path, password_file: Path) -> list[str]:
    """The `make up` processes (deploy/processes.conf) that read this password file."""
    if not processes_conf.exists():
        return []
    names = []
    for line in processes_conf.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and password_file.name in line:
            names.append(line.split()[0])
    return names


def _logs_in(url: str, password_file: Path) -> bool:
    try:
        psycopg2.connect(with_password_from(url, str(password_file)), connect_timeout=10).close()
    except (psycopg2.OperationalError, ValueError):
        return False
    return True


def _write_owner_only(path: Path, password: str, *, like: Path) -> None:
    """`password` into `path`, mode 0600 from its creation, owned as `like` (the compose files belong
    to the containers' user)."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    old = like.stat()
    if os.geteuid() == 0 and (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
        os.chown(path, old.st_uid, old.st_gid)


def _replace(login: RoleLogin) -> None:
    read_secret_file(str(login.pending_file))  # owner-only and not empty, or refuse
    os.replace(login.pending_file, login.password_file)
