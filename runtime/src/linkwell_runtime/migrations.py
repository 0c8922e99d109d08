"""Versioned schema migrations of a service database, with yoyo-migrations (docs/architecture.md §3.10).

A database has two sources of revisions, applied in this order: the runtime's own tables
(`linkwell_runtime/sql/migrations/`: event store, outbox, processed events, idempotency keys) and the
service's (`<service>/adapters/sql/migrations/`). A revision is a plain SQL file named
`<source>-<NNNN>-<what>.sql` (`runtime-0001-baseline`, `directory-0002-index-nested-children`): the
name is its id in yoyo's version table (`_yoyo_migration`), so ids of different sources cannot collide,
and a revision once applied is never edited (the next change is the next file).

`migrate` applies what is pending, each revision and its record in the version table in ONE
transaction (yoyo's own `apply_one` commits them apart), under a session advisory lock: an API, relay
and consumer starting together take turns, and the second finds nothing left to do. The lock goes
with the connection, so a migrator that dies leaves no stale lock behind (yoyo's lock table would).

A database made before migrations (every table made by `CREATE ... IF NOT EXISTS` at start, no
version table) is *adopted*: a source's first revision whose tables, indexes and columns are all there
is recorded as applied without running it (`_yoyo_log` says `mark`); one only partly there is run
(its IF NOT EXISTS form completes it).

Who migrates: each service database has a schema owner (owns every table, runs the revisions) and a
service role (the processes' `DATABASE_URL`: rows only, docs/security.md §11). `migrate` runs with
the owner's credentials (`linkwell migrate`, or a process given `DATABASE_OWNER_URL`); a process with
only the service role calls `ensure_current`, which refuses to start it on a schema that is behind.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg2
from yoyo import read_migrations
from yoyo.backends import DatabaseBackend
from yoyo.connections import get_backend_class, parse_uri
from yoyo.migrations import Migration, MigrationList

log = logging.getLogger(__name__)
logging.getLogger("yoyo").setLevel(logging.WARNING)  # a line per SQL statement; ours is one per revision

RUNTIME = "linkwell_runtime.sql"  # the runtime's source: its `migrations/` folder
# What no role but a table's owner may do to it, asserted again after every migration (a restore or a
# hand-made GRANT cannot leave it open): the audit is append-only, the version tables the owner's.
OWNER_ONLY = {
    "access_audit": "UPDATE, DELETE, TRUNCATE",
    "_yoyo_migration": "INSERT, UPDATE, DELETE, TRUNCATE",
    "_yoyo_log": "INSERT, UPDATE, DELETE, TRUNCATE",
    "_yoyo_version": "INSERT, UPDATE, DELETE, TRUNCATE",
    "yoyo_lock": "INSERT, UPDATE, DELETE, TRUNCATE",
}
VERSION_TABLE = "_yoyo_migration"
LOCK_KEY = "linkwell.migrate"
_REVISION_ID = re.compile(r"^[a-z]+-\d{4}-[a-z0-9-]+$")


class MigrationLocked(RuntimeError):
    """Another process held the migration lock for longer than we were willing to wait."""


class SchemaBehind(RuntimeError):
    """The database has pending revisions and this process's role may not apply them."""


@dataclass(frozen=True)
class Revision:
    id: str
    applied_at: datetime | None  # None: pending

    @property
    def pending(self) -> bool:
        return self.applied_at is None


@dataclass(frozen=True)
class Outcome:
    applied: list[str]  # run now
    adopted: list[str]  # recorded as applied without running (a database made before migrations)


def sources(schema_package: str | None) -> list[str]:
    """The migration sources of a database: the runtime's, then the service's package (None: runtime only)."""
    return [RUNTIME] + ([schema_package] if schema_package else [])


def revisions(packages: Sequence[str]) -> MigrationList:
    """Every revision of the sources, runtime first, each source in file-name order."""
    found = read_migrations(*(f"package:{p}:migrations" for p in packages))
    for m in found:
        if not _REVISION_ID.match(m.id):
            raise ValueError(f"revision {m.id!r} ({m.path}) is not named <source>-<NNNN>-<what>.sql")
    return found


def status(dsn: str, packages: Sequence[str]) -> list[Revision]:
    """Each revision of the sources, in order, with when it was applied (None: pending). Changes nothing."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass(%s) IS NOT NULL", (VERSION_TABLE,))
            row = cur.fetchone()
            applied: dict[str, datetime] = {}
            if row and row[0]:
                cur.execute(f"SELECT migration_id, applied_at_utc FROM {VERSION_TABLE}")
                applied = dict(cur.fetchall())
        conn.rollback()
    finally:
        conn.close()
    return [Revision(m.id, applied.get(m.id)) for m in revisions(packages)]


def ensure_current(dsn: str, packages: Sequence[str]) -> Outcome:
    """Make sure the database is at the newest revision: nothing to do when it is; migrate when this
    role may change the schema (it owns it: a single-role database, a test's superuser); otherwise
    refuse with `SchemaBehind`, naming what is pending and how to apply it."""
    pending = [r.id for r in status(dsn, packages) if r.pending]
    if not pending:
        return Outcome([], [])
    role, database, may = _who(dsn)
    if may:
        return migrate(dsn, packages)
    raise SchemaBehind(
        f"database {database} has {len(pending)} schema revision(s) pending ({', '.join(pending)}) and the role"
        f" {role} may not change the schema: apply them with the schema owner's credentials (`linkwell migrate"
        " SERVICE`, or DATABASE_OWNER_URL for this process), then start it again"
    )


def _who(dsn: str) -> tuple[str, str, bool]:
    """This connection's role, its database, and whether it may create in the schema (owner or superuser)."""
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT current_user, current_database(), has_schema_privilege(current_schema(), 'CREATE')")
            row = cur.fetchone()
        conn.rollback()
    finally:
        conn.close()
    assert row is not None
    return str(row[0]), str(row[1]), bool(row[2])


def migrate(
    dsn: str, packages: Sequence[str], *, target: str | None = None, lock_wait_seconds: float | None = None
) -> Outcome:
    """Apply the pending revisions of `packages` (up to and including `target`, when given) under the
    migration lock; `lock_wait_seconds` None waits as long as another migrator works."""
    wanted = revisions(packages)
    if target is not None:
        ids = [m.id for m in wanted]
        if target not in ids:
            raise LookupError(f"no revision {target!r} (revisions: {', '.join(ids)})")
        wanted = MigrationList(wanted[: ids.index(target) + 1])
    backend = _backend(dsn)
    try:
        _lock(backend, lock_wait_seconds)
        try:
            first_time = not _exists(backend, VERSION_TABLE)
            backend.init_database()
            backend.ensure_internal_schema_updated()
            pending = list(backend.to_apply(wanted))
            adopted = _adopt(backend, pending, packages) if first_time else []
            for revision in adopted:
                log.info("schema revision %s adopted: made before migrations", revision)
            applied = []
            for migration in pending:
                if migration.id in adopted:
                    continue
                _apply(backend, migration)
                log.info("schema revision %s applied", migration.id)
                applied.append(migration.id)
            _keep_owner_only(backend)
            return Outcome(applied, adopted)
        finally:
            if not backend.connection.closed:
                backend.execute("SELECT pg_advisory_unlock(hashtext(:key))", {"key": LOCK_KEY})
    finally:
        backend.connection.close()


def _backend(dsn: str) -> DatabaseBackend:
    """yoyo's PostgreSQL backend on `dsn` (a postgresql:// URL), not yet touching the database."""
    uri = parse_uri(dsn)
    backend: DatabaseBackend = get_backend_class(uri.scheme.lower())(uri, VERSION_TABLE)
    return backend


def _lock(backend: DatabaseBackend, wait_seconds: float | None) -> None:
    """The session advisory lock every migrator of this database takes first (autocommit connection)."""
    if wait_seconds is None:
        backend.execute("SELECT pg_advisory_lock(hashtext(:key))", {"key": LOCK_KEY})
        return
    backend.execute("SELECT set_config('lock_timeout', :ms, false)", {"ms": f"{int(wait_seconds * 1000)}ms"})
    try:
        backend.execute("SELECT pg_advisory_lock(hashtext(:key))", {"key": LOCK_KEY})
    except psycopg2.errors.LockNotAvailable:
        raise MigrationLocked(f"another process has been migrating this database for over {wait_seconds:g}s") from None
    finally:
        backend.execute("SELECT set_config('lock_timeout', '0', false)")


def _apply(backend: DatabaseBackend, migration: Migration) -> None:
    """The revision and its record in the version table, in one transaction. A revision that asks for
    no transaction (`-- transactional: false`, e.g. CREATE INDEX CONCURRENTLY) goes through yoyo's own
    `apply_one`, which commits the two apart."""
    migration.load()
    if not migration.use_transactions:
        backend.apply_one(migration)
        return
    with backend.transaction():
        migration.process_steps(backend, "apply")  # in a savepoint of this transaction
        backend.log_migration(migration, "apply")
        backend.mark_one(migration, log=False)


def keep_owner_only(dsn: str) -> None:
    """`OWNER_ONLY` asserted on a database without migrating it (after a restore: the owner makes the
    tables again, and its default privileges give the service role every table's rows, the audit's too)."""
    backend = _backend(dsn)
    try:
        _keep_owner_only(backend)
    finally:
        backend.connection.close()


def _keep_owner_only(backend: DatabaseBackend) -> None:
    """Take `OWNER_ONLY` privileges back from every other role that holds them (the owner's default
    privileges give the service role every table's rows when the table is made; referral-0006 and
    engagement-0004 took them back from the audit once)."""
    with backend.transaction():
        for table, privileges in OWNER_ONLY.items():
            found = backend.execute(
                "SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END"
                " FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a"
                " WHERE c.oid = to_regclass(:t) AND a.grantee <> c.relowner"
                " AND a.privilege_type = ANY(string_to_array(:p, ', '))",
                {"t": table, "p": privileges},
            ).fetchall()
            for (grantee,) in found:
                backend.execute(f"REVOKE {privileges} ON {table} FROM {grantee}")


def _adopt(backend: DatabaseBackend, pending: list[Migration], packages: Sequence[str]) -> list[str]:
    """The first revision of each source, when a database made before migrations already holds all it makes."""
    adopted = []
    for package in packages:
        first = next((m for m in pending if m.source_dir == f"package:{package}:migrations"), None)
        if first is None or first.id.split("-")[1] != "0001":
            continue
        with open(first.path, encoding="utf-8") as f:
            sql = f.read()
        if _all_there(backend, sql):
            backend.mark_migrations([first])
            adopted.append(first.id)
    return adopted


_CREATES = re.compile(r"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)
_ADDS = re.compile(r"ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE)


def _all_there(backend: DatabaseBackend, sql: str) -> bool:
    """Every table and index the revision creates and every column it adds exists (none made: False)."""
    relations = _CREATES.findall(sql)
    if not relations:
        return False
    if not all(_exists(backend, name) for name in relations):
        return False
    for table, column in _ADDS.findall(sql):
        row = backend.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = :t AND column_name = :c",
            {"t": table, "c": column},
        ).fetchone()
        if row is None:
            return False
    return True


def _exists(backend: DatabaseBackend, relation: str) -> bool:
    row: Any = backend.execute("SELECT to_regclass(:name) IS NOT NULL", {"name": relation}).fetchone()
    return bool(row[0])
