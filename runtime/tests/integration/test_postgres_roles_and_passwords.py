"""`deploy/bin/postgres` as `make up` uses it (docs/security.md §11), on the test cluster: `createdb`
makes a schema owner and a service role, each with a generated password (never the role's name) in a
file only its owner may read; no role but the cluster owner gets in without a password; the service
role may read and write rows but not change the schema."""

from __future__ import annotations

import os
import stat
import subprocess
import uuid

import psycopg2
import pytest

from linkwell_runtime.testing import admin, query, servers
from linkwell_runtime.testing.containers import containers_mode

pytestmark = pytest.mark.skipif(
    containers_mode() or bool(os.environ.get("DATABASE_URL")), reason="checks the native cluster deploy/bin starts"
)


def postgres_script(*args: str) -> str:
    env = os.environ | {"LINKWELL_STATE_DIR": str(servers.test_state_dir()), "PG_PORT": servers.test_port("PG_PORT")}
    done = subprocess.run(
        [str(servers.repo_root() / "deploy" / "bin" / "postgres"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def made(postgres_url):
    """A database made by `deploy/bin/postgres createdb`; dropped, with its roles and files, afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres_script("createdb", name)
    roles = (name, f"{name}_owner")
    yield name, {role: servers.test_state_dir() / "secrets" / f"pg-{role}.password" for role in roles}
    admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for role in roles:
        admin(postgres_url, f'DROP ROLE IF EXISTS "{role}"')
        (servers.test_state_dir() / "secrets" / f"pg-{role}.password").unlink(missing_ok=True)


def url(role: str, password: str, database: str) -> str:
    return f"postgresql://{role}:{password}@127.0.0.1:{servers.test_port('PG_PORT')}/{database}"


def test_each_role_gets_a_generated_password_in_a_file_only_its_owner_reads(made):
    name, files = made
    for role, path in files.items():
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == 0o600, (role, oct(mode))
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        password = path.read_text().strip()
        assert password != role and role not in password and len(password) >= 32
        assert query(url(role, password, name), "SELECT current_user") == [(role,)]
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
            psycopg2.connect(url(role, role, name))
    passwords = {role: path.read_text() for role, path in files.items()}
    postgres_script("createdb", name)  # again: nothing changes, the same passwords still work
    assert {role: path.read_text() for role, path in files.items()} == passwords
    assert len(set(passwords.values())) == 2


def test_the_service_role_has_rows_and_the_owner_the_schema(made):
    name, files = made
    owner = url(f"{name}_owner", files[f"{name}_owner"].read_text().strip(), name)
    service = url(name, files[name].read_text().strip(), name)
    query(owner, "CREATE TABLE notes (id serial PRIMARY KEY, text text); SELECT 1")
    query(service, "INSERT INTO notes (text) VALUES ('a'); UPDATE notes SET text = 'b'; SELECT 1")
    assert query(service, "SELECT text FROM notes") == [("b",)]
    for statement in ("TRUNCATE notes", "CREATE TABLE other (x int)", "DROP TABLE notes"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            query(service, statement)


def test_nobody_but_the_cluster_owner_connects_without_a_password(postgres_url, made):
    name, _ = made
    rules = query(postgres_url, "SELECT type, user_name, auth_method FROM pg_hba_file_rules WHERE error IS NULL")
    assert rules and all(method in ("peer", "scram-sha-256") for _, _, method in rules), rules
    assert [users for kind, users, method in rules if method == "peer"] == [["postgres"]]
    socket_dir = postgres_script("status").split("socket ")[1].rstrip(")\n")
    for role in (name, f"{name}_owner", "postgres"):
        with pytest.raises(psycopg2.OperationalError, match=r"password|Peer authentication failed"):
            psycopg2.connect(host=socket_dir, port=servers.test_port("PG_PORT"), user=role, dbname=name)
