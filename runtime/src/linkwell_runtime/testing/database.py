"""Test helpers for a real PostgreSQL database: read what a test's code wrote, run admin statements."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from linkwell_runtime import db


def query(dsn: str, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
    """Every row of one query, in a transaction of its own."""
    with cursor(dsn) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def scalar(dsn: str, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
    """The first column of the first row."""
    return query(dsn, sql, params)[0][0]


@contextmanager
def cursor(dsn: str) -> Iterator[psycopg2.extensions.cursor]:
    """A cursor in one transaction (committed when the block ends) on a connection of its own."""
    conn = db.connect(dsn)
    try:
        with db.transaction(conn) as cur:
            yield cur
    finally:
        conn.close()


def admin(dsn: str, statement: str | sql.Composable) -> None:
    """A statement that cannot run in a transaction (CREATE/DROP DATABASE), with autocommit."""
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@dataclass(frozen=True)
class RoleDatabase:
    """A database as deployed (docs/security.md §11): `owner` owns it and migrates, `service` has rows only."""

    name: str
    owner: str
    service: str
    owner_url: str
    service_url: str


def create_role_database(superuser_url: str, name: str) -> RoleDatabase:
    """A fresh database with a schema owner `<name>_owner` and a service role `<name>`, each with a
    generated password, and the privileges deploy/docker/postgres/roles.sql gives (this is its
    Python twin for the test clusters and containers, where no psql runs)."""
    owner, service = f"{name}_owner", name
    passwords = {owner: secrets.token_hex(24), service: secrets.token_hex(24)}
    for role, password in passwords.items():
        admin(
            superuser_url,
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            ),
        )
    admin(superuser_url, sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner)))
    database_url = _with_database(superuser_url, name)
    with cursor(database_url) as cur:
        values = {"db": sql.Identifier(name), "owner": sql.Identifier(owner), "service": sql.Identifier(service)}
        for statement in (
            "REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC",
            "GRANT CONNECT ON DATABASE {db} TO {service}",
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            "GRANT USAGE ON SCHEMA public TO {service}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public"
            " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {service}",
            "ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {service}",
        ):
            cur.execute(sql.SQL(statement).format(**values))
    return RoleDatabase(
        name,
        owner,
        service,
        _with_database(superuser_url, name, user=owner, password=passwords[owner]),
        _with_database(superuser_url, name, user=service, password=passwords[service]),
    )


def drop_role_database(superuser_url: str, made: RoleDatabase) -> None:
    admin(superuser_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(made.name)))
    for role in (made.service, made.owner):
        admin(superuser_url, sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def _with_database(url: str, name: str, *, user: str | None = None, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc if user is None else f"{user}:{password}@{parts.hostname}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", parts.query, ""))
