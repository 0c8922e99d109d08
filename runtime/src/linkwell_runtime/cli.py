"""`linkwell`: the operator's one command (README "Operations").

    linkwell status [--json]                 processes, outbox backlog, consumer lag, dead letters, readiness
    linkwell dlq list [--all] [--topic T]    dead letters: reason, source record, consumer group, outcome
    linkwell dlq show ID                     one letter's headers (letters carry no event content)
    linkwell dlq redrive (ID... | --all)     ask the consumer group to apply the source record again
    linkwell topics [--check]                create/check the topics (deploy/bin/topics)
    linkwell tokens --role ROLE ...          mint a development token (linkwell_runtime.tokens)
    linkwell migrate (SERVICE... | --all)    apply pending schema revisions (--status: list them, change nothing)
    linkwell rebuild SERVICE                 rebuild a service's read models from its events (its consumer stopped)
    linkwell backup SERVICE [--file F]       pg_dump of a service's database (custom format)
    linkwell restore SERVICE FILE --yes      pg_restore it over the service's database (its processes stopped)
    linkwell keys status|rotate SERVICE      data keys (referral's patients', engagement's cases') per key-encryption key; re-wrap them all under the current one
    linkwell keys new-kek ID                 print a fresh key-encryption key line for PATIENT_KEK_FILE
    linkwell db-password rotate SERVICE [--owner]  a new generated password for its service role (or schema owner)

Exit codes: 0 all well; 1 something needs attention (a process down, a service not ready, dead
letters waiting, topics wrong, revisions pending); 2 bad usage; 3 refused (rebuild while the consumer
runs, another process migrating); 4 not found.

Where things are: KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:$KAFKA_PORT, 19092); each service's
database `<SERVICE>_DATABASE_URL` as its service role (default `linkwell_<service>` on
127.0.0.1:$PG_PORT, 25432) and `<SERVICE>_DATABASE_OWNER_URL` as its schema owner (default
`linkwell_<service>_owner`, or `<SERVICE>_DATABASE_URL` when only that is set), with the passwords in
`<SERVICE>_DATABASE_PASSWORD_FILE` / `<SERVICE>_DATABASE_OWNER_PASSWORD_FILE` (default the files
`deploy/bin/postgres createdb` wrote, $LINKWELL_STATE_DIR/secrets/pg-<role>.password); `migrate`,
`rebuild`, `backup` and `restore` run as the schema owner, the rest as the service role; its API
`<SERVICE>_API_URL` (default http://127.0.0.1:8001..8004), its consumer group `<SERVICE>_CONSUMER_NAME`;
the processes from LINKWELL_STATE_DIR (default .local/dev) and deploy/processes.conf. Kafka: as the
operator's principal (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD_FILE), which reads offsets and dead
letters and writes retry requests (RETRY_TOPIC, default linkwell.ops.retry.v1) but no event; a rebuild
reads as the service's own (`<SERVICE>_KAFKA_SASL_USERNAME`, `<SERVICE>_KAFKA_SASL_PASSWORD_FILE`,
default the service's name and the password file deploy/bin/kafka wrote). A redrive names who asked:
LINKWELL_OPERATOR (the operator's `sub`), else the OS user.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg2
from pydantic import ValidationError

from contracts import topics
from linkwell_runtime import migrations, ops, ops_role_passwords, supervisor
from linkwell_runtime.settings import with_password_from

OK, ATTENTION, USAGE, REFUSED, NOT_FOUND = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    http_port: int
    consumer_group: str | None
    consumed_topics: tuple[str, ...]

    def env(self, suffix: str) -> str | None:
        return os.environ.get(f"{self.name.upper()}_{suffix}")

    @property
    def database_url(self) -> str:
        """As its service role: rows only (docs/security.md §11)."""
        return self._database("DATABASE", f"linkwell_{self.name}")

    @property
    def owner_database_url(self) -> str:
        """As its schema owner (migrations, rebuilds, backups, restores); `<SERVICE>_DATABASE_URL` when
        only that is set (one role owns and uses the database)."""
        if self.env("DATABASE_URL") and not self.env("DATABASE_OWNER_URL"):
            return self.database_url
        return self._database("DATABASE_OWNER", f"linkwell_{self.name}_owner")

    def _database(self, prefix: str, role: str) -> str:
        url, password_file = self.login(prefix, role)
        return with_password_from(url, password_file) if password_file else url

    def login(self, prefix: str, role: str) -> tuple[str, str | None]:
        """The URL (no password in it unless `<SERVICE>_<prefix>_URL` has one) and the password file."""
        url = self.env(f"{prefix}_URL")
        password_file = self.env(f"{prefix}_PASSWORD_FILE")
        if url is None:
            port = os.environ.get("PG_PORT", "25432")
            url = f"postgresql://{role}@127.0.0.1:{port}/linkwell_{self.name}"
            generated = _state_dir() / "secrets" / f"pg-{role}.password"
            password_file = password_file or (str(generated) if generated.exists() else None)
        return url, password_file

    def kafka_login(self) -> dict[str, str]:
        """Its own Kafka principal, for what the CLI does on its behalf (a rebuild reads the topics it
        consumes: the operator's principal reads no event topic): `<SERVICE>_KAFKA_SASL_USERNAME` and
        `<SERVICE>_KAFKA_SASL_PASSWORD_FILE`, by default its name and the password file deploy/bin/kafka
        wrote ($LINKWELL_STATE_DIR/kafka/secrets/<service>.password) when there is one; {}: the CLI's own."""
        generated = _state_dir() / "kafka" / "secrets" / f"{self.name}.password"
        password_file = self.env("KAFKA_SASL_PASSWORD_FILE") or (str(generated) if generated.exists() else None)
        if password_file is None:
            return {}
        return {
            "kafka_sasl_username": self.env("KAFKA_SASL_USERNAME") or self.name,
            "kafka_sasl_password_file": password_file,
            "kafka_sasl_password": "",
        }

    @property
    def api_url(self) -> str:
        return self.env("API_URL") or f"http://127.0.0.1:{self.http_port}"

    @property
    def group(self) -> str | None:
        return self.env("CONSUMER_NAME") or self.consumer_group

    @property
    def schema_package(self) -> str:
        """Where its schema revisions are (`<package>/migrations/`), after the runtime's."""
        return f"{self.name}.adapters.sql"

    @property
    def key_store(self) -> str:
        """Its store of wrapped data keys (`rewrap`, `to_rewrap`, `kek_counts`; KEY_STORES)."""
        return KEY_STORES[self.name]

    @property
    def rebuilder(self) -> str:
        """Its rebuild module: `rebuild(settings, progress)`, `total_events(settings)`, `Settings`."""
        return f"{self.name}.entrypoints.rebuild"


# The deployment `make up` runs (docs/architecture.md §1.1).
SERVICES = (
    ServiceInfo("referral", 8001, "referral-engagement-events", (topics.ENGAGEMENT, topics.PRACTICE)),
    ServiceInfo("engagement", 8002, "engagement", (topics.REFERRAL, topics.DIRECTORY)),
    ServiceInfo("directory", 8003, None, ()),
    ServiceInfo("reporting", 8004, "reporting", (topics.REFERRAL, topics.ENGAGEMENT, topics.COMMISSIONER)),
)


def bootstrap_servers() -> str:
    return os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or f"127.0.0.1:{os.environ.get('KAFKA_PORT', '19092')}"


def repo_root() -> Path:
    start = Path(os.environ.get("LINKWELL_ROOT", Path.cwd())).resolve()
    for path in (start, *start.parents):
        if (path / "deploy" / "processes.conf").exists():
            return path
    return Path(__file__).resolve().parents[3]  # the checkout this (editable) package lives in


def _dlq_topics(chosen: Sequence[str] | None) -> list[str]:
    names = chosen or list(topics.ALL)
    return [n if topics.is_dead_letter_topic(n) else topics.dlq(n) for n in names]


def _safely(what: Callable[[], Any]) -> Any:
    """A figure, or {"error": ...} when its source does not answer (status shows what it can)."""
    try:
        return what()
    except Exception as exc:  # noqa: BLE001 - status reports every failure instead of stopping at one
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return {"error": f"{type(exc).__name__}: {first_line}"[:200]}


def readiness(url: str) -> str:
    try:
        with urllib.request.urlopen(f"{url}/ready", timeout=3) as answer:
            return "ready" if answer.status == 200 else f"not ready ({answer.status})"
    except urllib.error.HTTPError as exc:
        return f"not ready ({exc.code})"
    except OSError:
        return "unreachable"


def collect_status(
    services: Sequence[ServiceInfo] = SERVICES, dlq_topics: Sequence[str] | None = None
) -> dict[str, Any]:
    bootstrap = bootstrap_servers()
    root = repo_root()
    state_dir = Path(os.environ.get("LINKWELL_STATE_DIR", root / ".local" / "dev"))
    conf = Path(os.environ.get("LINKWELL_PROCESSES_CONF", root / "deploy" / "processes.conf"))
    processes = _safely(lambda: supervisor.process_status(state_dir / "run", supervisor.configured_names(conf)))
    report: dict[str, Any] = {"kafka": bootstrap, "processes": processes, "services": {}}
    for service in services:
        entry: dict[str, Any] = {
            "readiness": readiness(service.api_url),
            "outbox": _safely(partial(ops.outbox_backlog, service.database_url)),
        }
        group = service.group
        if group is not None:
            entry["consumer"] = {
                "group": group,
                "partitions": _safely(partial(ops.consumer_lag, bootstrap, group, service.consumed_topics)),
            }
        report["services"][service.name] = entry
    letters = _safely(lambda: ops.dead_letters(bootstrap, _dlq_topics(dlq_topics)))
    if isinstance(letters, list):
        depth = dict.fromkeys(_dlq_topics(dlq_topics), 0)
        for letter in letters:
            depth[letter.topic] += letter.redriven_at is None
        report["dead_letters"] = {"waiting": depth, "redriven": sum(d.redriven_at is not None for d in letters)}
    else:
        report["dead_letters"] = letters
    return report


def needs_attention(report: dict[str, Any]) -> bool:
    processes = report["processes"]
    if not isinstance(processes, list) or any(p["state"] != "running" for p in processes):
        return True
    if any(s["readiness"] != "ready" or "error" in s["outbox"] for s in report["services"].values()):
        return True
    letters = report["dead_letters"]
    return "error" in letters or any(letters["waiting"].values())


def print_status(report: dict[str, Any]) -> None:
    print("Processes")
    processes = report["processes"]
    print(supervisor.status_table(processes) if isinstance(processes, list) else f"  {processes['error']}")
    print("\nServices")
    for name, s in report["services"].items():
        outbox = s["outbox"]
        backlog = (
            outbox["error"]
            if "error" in outbox
            else f"outbox {outbox['unpublished']} unpublished"
            + (
                ""
                if outbox["oldest_unpublished_age_seconds"] is None
                else f", oldest {outbox['oldest_unpublished_age_seconds']:.1f}s"
            )
        )
        print(f"  {name:<11} {s['readiness']:<12} {backlog}")
        consumer = s.get("consumer")
        if consumer is not None:
            parts = consumer["partitions"]
            if isinstance(parts, dict):
                print(f"    consumer {consumer['group']}: {parts['error']}")
                continue
            total = sum(p["lag"] for p in parts)
            print(f"    consumer {consumer['group']}: lag {total}")
            for p in parts:
                if p["lag"]:
                    print(
                        f"      {p['topic']}[{p['partition']}] committed {p['committed']} end {p['end']} lag {p['lag']}"
                    )
    print("\nDead letters")
    letters = report["dead_letters"]
    if "error" in letters:
        print(f"  {letters['error']}")
    else:
        for topic, count in letters["waiting"].items():
            print(f"  {topic:<32} {count} waiting")
        print(f"  ({letters['redriven']} redriven)")


# -- commands -----------------------------------------------------------------------------------


def cmd_status(args: argparse.Namespace) -> int:
    report = collect_status(dlq_topics=args.topic)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_status(report)
    return ATTENTION if needs_attention(report) else OK


def cmd_dlq_list(args: argparse.Namespace) -> int:
    letters = ops.dead_letters(bootstrap_servers(), _dlq_topics(args.topic))
    shown = [d for d in letters if args.all or d.redriven_at is None]
    if args.json:
        print(json.dumps([d.summary() for d in shown], indent=2))
    else:
        for d in shown:
            s = d.summary()
            redriven = f"  redriven {s['redriven_at']}: {s['redrive_outcome']}" if s["redriven_at"] else ""
            print(
                f"{s['id']}  {s['dead_lettered_at']}  from {s['source_topic']}[{s['source_partition']}]@"
                f"{s['source_offset']}  {s['consumer_group'] or '-'}  {s['event_type'] or '-'}"
                f"  {s['reason'][:120]}{redriven}"
            )
        print(f"{len(shown)} dead letter(s)" + ("" if args.all else " waiting"))
    return ATTENTION if any(d.redriven_at is None for d in shown) else OK


def _find(letter_ids: Sequence[str]) -> tuple[list[ops.DeadLetterRecord], list[str]]:
    wanted = {ops.parse_id(i) for i in letter_ids}
    letters = ops.dead_letters(bootstrap_servers(), sorted({t for t, _, _ in wanted}))
    found = [d for d in letters if (d.topic, d.partition, d.offset) in wanted]
    missing = sorted(set(letter_ids) - {d.id for d in found})
    return found, missing


def cmd_dlq_show(args: argparse.Namespace) -> int:
    found, missing = _find([args.id])
    if missing:
        print(f"no dead letter {args.id}", file=sys.stderr)
        return NOT_FOUND
    print(json.dumps(found[0].detail(), indent=2))
    return OK


def cmd_dlq_redrive(args: argparse.Namespace) -> int:
    if bool(args.ids) == args.all:
        print("give dead letter ids or --all (not both)", file=sys.stderr)
        return USAGE
    missing: list[str] = []
    if args.all:
        letters = ops.dead_letters(bootstrap_servers(), _dlq_topics(args.topic))
    else:
        letters, missing = _find(args.ids)
    for letter_id in missing:
        print(f"no dead letter {letter_id}", file=sys.stderr)
    asks: list[tuple[ops.DeadLetterRecord, str]] = []
    refused = 0
    for letter in letters:
        if letter.redriven_at is not None:
            if not args.all:
                print(f"{letter.id} was already redriven at {letter.redriven_at} ({letter.redrive_outcome}); not again")
            continue
        groups, why = _groups_for(letter, args.group)
        if why is not None:
            print(f"{letter.id} not redriven: {why}", file=sys.stderr)
            refused += 1
        asks += [(letter, group) for group in groups]
    sent = ops.request_redrive(bootstrap_servers(), asks, requested_by(), retry_topic())
    for request in sent:
        print(
            f"asked {request.consumer_group} to apply {request.topic}[{request.partition}]@{request.offset} again"
            f" ({request.letter_id})"
        )
    print(
        f"{len(sent)} redrive request(s) sent"
        + (f", {refused} refused" if refused else "")
        + ("; `linkwell dlq list --all` shows each outcome once its consumer has acted" if sent else "")
    )
    return NOT_FOUND if missing else ATTENTION if refused else OK


def _groups_for(letter: ops.DeadLetterRecord, chosen: str | None) -> tuple[list[str], str | None]:
    """Whom to ask: the group the letter names; for an older letter that names none, `--group`, or
    every group that consumes its source topic (a group that had applied it finds it a duplicate)."""
    topic, partition, offset = letter.source
    if partition < 0 or offset < 0:
        return [], "it names no source partition and offset"
    if letter.group is not None:
        return [letter.group], None
    if chosen is not None:
        return [chosen], None
    groups = [s.group for s in SERVICES if s.group is not None and topic in s.consumed_topics]
    return groups, None if groups else f"it names no consumer group and no service consumes {topic}: give --group"


def requested_by() -> str:
    """Who asks, as the CLI knows them: LINKWELL_OPERATOR (the operator's `sub`, e.g. email:...) or
    the OS user on this host. It travels in the retry request and the consumer's log."""
    return os.environ.get("LINKWELL_OPERATOR") or f"os:{getpass.getuser()}@{socket.gethostname()}"


def retry_topic() -> str:
    return os.environ.get("RETRY_TOPIC") or topics.RETRY


def cmd_topics(args: argparse.Namespace) -> int:
    command = [sys.executable, str(repo_root() / "deploy" / "bin" / "topics")]
    command += ["--check"] if args.check else []
    command += ["--prefix", args.prefix] if args.prefix else []
    env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers()}
    return OK if subprocess.run(command, env=env, check=False).returncode == 0 else ATTENTION


def cmd_tokens(args: argparse.Namespace) -> int:
    from linkwell_runtime import tokens

    return USAGE if tokens.main(args.rest) else OK


def _progress(total: int, label: str, unit: str = "events") -> Callable[[int], None]:
    """A progress bar on a terminal (tqdm), a line every 5 s otherwise."""
    if sys.stderr.isatty():
        bar = importlib.import_module("tqdm").tqdm(total=total, unit=unit[:3], desc=label)
        return lambda n: bar.update(n)
    state = {"done": 0, "shown": time.monotonic()}

    def step(n: int) -> None:
        state["done"] += n
        if time.monotonic() - state["shown"] >= 5 or state["done"] >= total:
            print(f"{label}: {int(state['done'])}/{total} {unit}", file=sys.stderr)
            state["shown"] = time.monotonic()

    return step


def _rebuild_settings(service: ServiceInfo, settings_class: Any) -> Any:
    """The service's settings from the environment, on the database, broker and consumer group every
    `linkwell` command uses (`<SERVICE>_DATABASE_URL`, `KAFKA_BOOTSTRAP_SERVERS`, `<SERVICE>_CONSUMER_NAME`),
    reading Kafka as the service's own principal (ServiceInfo.kafka_login)."""
    where: dict[str, Any] = {
        "database_url": service.owner_database_url,  # a rebuild empties tables (TRUNCATE): the schema owner's
        "database_password_file": "",
        "kafka_bootstrap_servers": bootstrap_servers(),
        **service.kafka_login(),
    }
    if service.group is not None and "consumer_name" in settings_class.model_fields:
        where["consumer_name"] = service.group
    return settings_class(**where)


def cmd_rebuild(args: argparse.Namespace) -> int:
    service = _service(args.service)
    module: Any = importlib.import_module(service.rebuilder)  # a service's: the runtime knows it by name
    settings = _rebuild_settings(service, module.Settings)
    if service.group is not None:
        members = ops.group_members(bootstrap_servers(), service.group)
        if members:
            print(
                f"refusing: {service.name}'s consumer ({service.group}) is running ({members} member(s));"
                f" stop {service.name}-consumer first",
                file=sys.stderr,
            )
            return REFUSED
    migrations.migrate(service.owner_database_url, migrations.sources(service.schema_package))  # on the newest
    total = module.total_events(settings)
    bar = _progress(total, f"rebuild {service.name}")
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        bar(n)

    started = time.monotonic()
    result = module.rebuild(settings, progress=step)
    seconds = time.monotonic() - started
    print(
        json.dumps(
            result
            | {
                "events": done[0],
                "seconds": round(seconds, 1),
                "events_per_second": round(done[0] / max(seconds, 1e-9)),
            }
        )
    )
    return OK


def cmd_migrate(args: argparse.Namespace) -> int:
    if bool(args.services) == args.all:
        print("name services or give --all (not both)", file=sys.stderr)
        return USAGE
    unknown = [name for name in args.services if name not in {s.name for s in SERVICES}]
    if unknown:
        print(f"no service {', '.join(unknown)} (services: {', '.join(s.name for s in SERVICES)})", file=sys.stderr)
        return USAGE
    chosen = list(SERVICES) if args.all else [_service(name) for name in dict.fromkeys(args.services)]
    if args.to is not None and len(chosen) != 1:
        print("--to names a revision of one service", file=sys.stderr)
        return USAGE
    code = OK
    for service in chosen:
        packages = migrations.sources(service.schema_package)
        try:
            if args.status:
                revisions = migrations.status(service.owner_database_url, packages)
                _print_revisions(service.name, revisions, args.json)
                code = max(code, ATTENTION if any(r.pending for r in revisions) else OK)
                continue
            outcome = migrations.migrate(
                service.owner_database_url, packages, target=args.to, lock_wait_seconds=args.wait
            )
        except migrations.MigrationLocked as exc:
            print(f"refusing: {service.name}: {exc}", file=sys.stderr)
            code = max(code, REFUSED)
            continue
        except LookupError as exc:
            print(f"{service.name}: {exc}", file=sys.stderr)
            return NOT_FOUND
        except psycopg2.Error as exc:
            print(f"{service.name}: {type(exc).__name__}: {str(exc).strip()}", file=sys.stderr)
            code = max(code, ATTENTION)
            continue
        done = [f"applied {i}" for i in outcome.applied] + [
            f"adopted {i} (made before migrations)" for i in outcome.adopted
        ]
        print(f"{service.name}: " + ("; ".join(done) if done else "up to date"))
    return code


def _print_revisions(name: str, revisions: list[migrations.Revision], as_json: bool) -> None:
    if as_json:
        rows = [{"service": name, "revision": r.id, "applied_at": r.applied_at} for r in revisions]
        print(json.dumps(rows, indent=2, default=str))
        return
    current = [r.id for r in revisions if not r.pending]
    pending = [r.id for r in revisions if r.pending]
    print(f"{name}: at {current[-1] if current else 'no revision'}, {len(pending)} pending")
    for r in revisions:
        when = "pending" if r.applied_at is None else r.applied_at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"  {when:<19}  {r.id}")


def _state_dir() -> Path:
    return Path(os.environ.get("LINKWELL_STATE_DIR", repo_root() / ".local" / "dev"))


def _service(name: str) -> ServiceInfo:
    return next(s for s in SERVICES if s.name == name)


def cmd_backup(args: argparse.Namespace) -> int:
    service = _service(args.service)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = Path(args.file or _state_dir() / "backups" / f"{service.name}-{stamp}.dump")
    path.parent.mkdir(parents=True, exist_ok=True)
    where, env = _libpq(service.owner_database_url)
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), "--dbname", where], env=env, check=False
    )
    if done.returncode != 0:
        return ATTENTION
    print(f"{service.name}: backed up to {path} ({path.stat().st_size} bytes)")
    return OK


def cmd_restore(args: argparse.Namespace) -> int:
    service = _service(args.service)
    if not Path(args.file).is_file():
        print(f"no backup file {args.file}", file=sys.stderr)
        return NOT_FOUND
    if not args.yes:
        print(
            f"restoring replaces {service.name}'s database; stop its processes and run again with --yes",
            file=sys.stderr,
        )
        return REFUSED
    if service.group is not None and ops.group_members(bootstrap_servers(), service.group):
        print(f"refusing: {service.name}'s consumer ({service.group}) is running; stop it first", file=sys.stderr)
        return REFUSED
    where, env = _libpq(service.owner_database_url)
    done = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",  # the target's own roles and default privileges, not the dumped ones'
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            where,
            args.file,
        ],
        env=env,
        check=False,
    )
    if done.returncode != 0:
        return ATTENTION
    migrations.keep_owner_only(service.owner_database_url)  # the default privileges gave the audit's back
    print(f"{service.name}: restored from {args.file}")
    return OK


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A URL for a libpq tool's command line without its password, which goes in its environment
    (PGPASSWORD) instead: a command line is visible to every user of the machine."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, dict(os.environ)
    host = parts.netloc.rsplit("@", 1)[-1]
    bare = urlunsplit((parts.scheme, f"{parts.username}@{host}", parts.path, parts.query, parts.fragment))
    return bare, dict(os.environ) | {"PGPASSWORD": unquote(parts.password)}


# the services that keep data keys wrapped by the KEK, and where (a `wrapped_keys.WrappedKeyTable`'s
# to_rewrap, kek_counts and rewrap): referral's patient keys, engagement's case-text keys
KEY_STORES = {"referral": "referral.adapters.patient_keys", "engagement": "engagement.adapters.case_texts"}
KEY_SERVICES = tuple(KEY_STORES)


def _key_settings(service: ServiceInfo) -> Any:
    """The service's settings (its KEKs: PATIENT_KEK_FILE or PATIENT_KEK, and ENVIRONMENT) on its database."""
    settings_class = importlib.import_module(f"{service.name}.config").Settings
    return settings_class(database_url=service.database_url)


def cmd_keys_status(args: argparse.Namespace) -> int:
    service = _service(args.service)
    store: Any = importlib.import_module(service.key_store)
    settings = _key_settings(service)
    keks = settings.key_encryption_keys
    conn = psycopg2.connect(service.database_url)
    try:
        with conn, conn.cursor() as cur:
            counts, waiting = store.kek_counts(cur), store.to_rewrap(cur, keks)
    finally:
        conn.close()
    report = {"current_kek": keks.current, "configured_keks": list(keks.keys), "keys": counts, "to_rewrap": waiting}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{service.name}: current KEK {keks.current} (configured: {', '.join(keks.keys)})")
        for name, n in counts.items():
            print(f"  {name:<24} {n}")
        print(f"  {waiting} key(s) not under the current KEK" + ("; run `linkwell keys rotate`" if waiting else ""))
    return ATTENTION if waiting else OK


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    service = _service(args.service)
    store: Any = importlib.import_module(service.key_store)
    settings = _key_settings(service)
    keks = settings.key_encryption_keys
    conn = psycopg2.connect(service.database_url)
    try:
        with conn, conn.cursor() as cur:
            total = store.to_rewrap(cur, keks)
        print(f"{service.name}: {total} key(s) to wrap under KEK {keks.current}", file=sys.stderr)

        @contextmanager
        def transaction() -> Iterator[Any]:
            with conn, conn.cursor() as cur:
                yield cur

        result = store.rewrap(transaction, keks, _progress(total, f"rotate {service.name}", "keys"))
    finally:
        conn.close()
    print(json.dumps(result.summary()))
    if result.unreadable:
        print(
            f"{result.unreadable} key(s) are wrapped under a KEK that is not configured: add it to"
            " PATIENT_KEK_FILE (after the current one) and run again",
            file=sys.stderr,
        )
        return ATTENTION
    return OK


def cmd_keys_new_kek(args: argparse.Namespace) -> int:
    from linkwell_runtime.key_wrapping import new_kek_entry

    print(new_kek_entry(args.id))
    return OK


def cmd_db_password_rotate(args: argparse.Namespace) -> int:
    service = _service(args.service)
    prefix, role = (
        ("DATABASE_OWNER", f"linkwell_{service.name}_owner") if args.owner else ("DATABASE", f"linkwell_{service.name}")
    )
    url, password_file = service.login(prefix, role)
    if not password_file or not Path(password_file).exists():
        print(
            f"no password file for {role}: set {service.name.upper()}_{prefix}_PASSWORD_FILE"
            " (default $LINKWELL_STATE_DIR/secrets/pg-<role>.password)",
            file=sys.stderr,
        )
        return NOT_FOUND
    if urlsplit(url).password:
        print(
            f"{service.name.upper()}_{prefix}_URL carries a password: the password file must be the only copy",
            file=sys.stderr,
        )
        return USAGE
    try:
        done = ops_role_passwords.rotate(ops_role_passwords.RoleLogin(url, Path(password_file)))
    except ops_role_passwords.CannotLogIn as exc:
        print(f"refusing: {exc}", file=sys.stderr)
        return REFUSED
    restart = ops_role_passwords.restart_hint(repo_root() / "deploy" / "processes.conf", Path(password_file))
    print(json.dumps({"role": done.role, "password_file": done.password_file, "restart": restart}))
    print(
        f"{done.role}: new password in {done.password_file}"
        + (" (an interrupted run finished)" if done.finished_an_interrupted_run else "")
        + "; open connections keep working, new ones need it: restart "
        + (", ".join(restart) if restart else "the processes that use this role (compose: their containers)"),
        file=sys.stderr,
    )
    return OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="linkwell",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser("status", help="processes, outbox backlog, consumer lag, dead letters, readiness")
    status.add_argument("--json", action="store_true", help="JSON for machines")
    status.add_argument("--topic", action="append", help="dead-letter topics to count (default: every platform topic)")
    status.set_defaults(run=cmd_status)

    dlq = commands.add_parser("dlq", help="list, show and redrive dead letters").add_subparsers(
        dest="dlq_command", required=True, metavar="ACTION"
    )
    listing = dlq.add_parser("list", help="dead letters waiting (with --all: redriven too), reason and source")
    listing.add_argument("--all", action="store_true", help="include letters already redriven")
    listing.add_argument("--topic", action="append", help="a source or .dlq topic (repeatable; default: all)")
    listing.add_argument("--json", action="store_true", help="JSON for machines")
    listing.set_defaults(run=cmd_dlq_list)
    show = dlq.add_parser("show", help="one dead letter's headers: where its record is, why it was set aside")
    show.add_argument("id", help="<topic>.dlq:<partition>:<offset>, as `dlq list` prints it")
    show.set_defaults(run=cmd_dlq_show)
    again = dlq.add_parser(
        "redrive",
        help="ask each letter's consumer group to apply its source record again (a retry request)",
        description="Writes a retry request (consumer group, source record, letter, LINKWELL_OPERATOR or the"
        " OS user) to the ops topic; the group's consumer fetches the record from its topic with its own"
        " principal and applies it once, or dead-letters it again. `dlq list --all` shows the outcome.",
    )
    again.add_argument("ids", nargs="*", metavar="ID", help="letters to redrive")
    again.add_argument("--all", action="store_true", help="every letter not yet redriven")
    again.add_argument("--topic", action="append", help="with --all: only these source or .dlq topics")
    again.add_argument(
        "--group", help="for older letters that name no consumer group (default: every group consuming the topic)"
    )
    again.set_defaults(run=cmd_dlq_redrive)

    topics_cmd = commands.add_parser("topics", help="create the topics or set their retention back (deploy/bin/topics)")
    topics_cmd.add_argument("--check", action="store_true", help="change nothing; exit 1 unless all are right")
    topics_cmd.add_argument("--prefix", help="prefix every topic name (tests)")
    topics_cmd.set_defaults(run=cmd_topics)

    tokens_cmd = commands.add_parser(
        "tokens", help="mint a development token (linkwell_runtime.tokens; `linkwell tokens --help`)", add_help=False
    )
    tokens_cmd.add_argument("rest", nargs=argparse.REMAINDER, help="arguments of linkwell_runtime.tokens")
    tokens_cmd.set_defaults(run=cmd_tokens)

    migrate = commands.add_parser(
        "migrate",
        help="apply a service database's pending schema revisions (the runtime's, then its own)",
        description="Apply pending revisions under the migration lock (services also do at every start)."
        " Exit 0 done or up to date; 1 a revision failed or, with --status, some are pending; 3 another"
        " process held the lock past --wait; 4 no such revision (--to).",
    )
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(s.name for s in SERVICES))
    migrate.add_argument("--all", action="store_true", help="every service's database")
    migrate.add_argument("--status", action="store_true", help="list applied and pending revisions; change nothing")
    migrate.add_argument("--json", action="store_true", help="with --status: JSON for machines")
    migrate.add_argument("--to", metavar="REVISION", help="stop after this revision (one service)")
    migrate.add_argument("--wait", type=float, default=60.0, help="seconds to wait for the lock (default 60)")
    migrate.set_defaults(run=cmd_migrate)

    rebuild = commands.add_parser(
        "rebuild",
        help="rebuild a service's read models from its events (refused while its consumer runs)",
        description="Empty the service's derived tables and apply its events again (its own event store"
        " and/or the topics it consumes), in one transaction, with progress and the final events/s.",
    )
    rebuild.add_argument("service", choices=[s.name for s in SERVICES])
    rebuild.set_defaults(run=cmd_rebuild)

    backup = commands.add_parser("backup", help="pg_dump a service's database (custom format)")
    backup.add_argument("service", choices=[s.name for s in SERVICES])
    backup.add_argument("--file", help="where to write it (default: $LINKWELL_STATE_DIR/backups/SERVICE-TIME.dump)")
    backup.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", help="pg_restore a backup over a service's database")
    restore.add_argument("service", choices=[s.name for s in SERVICES])
    restore.add_argument("file", help="a file `linkwell backup` wrote")
    restore.add_argument("--yes", action="store_true", help="yes, replace the database's contents")
    restore.set_defaults(run=cmd_restore)

    keys = commands.add_parser(
        "keys",
        help="patient data keys and their key-encryption keys (KEKs): status, rotate, new-kek",
        description="Patient data keys are stored only wrapped by a KEK from PATIENT_KEK_FILE or PATIENT_KEK"
        " (first entry: the current KEK; later entries: older ones still accepted). To rotate: put a new"
        " KEK (`keys new-kek ID`) first in the file, the old one after it; restart the service; run"
        " `keys rotate`; when `keys status` exits 0, remove the old KEK and restart again."
        " Exit 0 every key under the current KEK; 1 some are not (status) or could not be unwrapped (rotate);"
        " 2 bad usage or settings (no KEK outside development, ENVIRONMENT not set).",
    ).add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    key_status = keys.add_parser(
        "status", help="live keys per KEK, shredded keys, and how many are not under the current KEK"
    )
    key_status.add_argument("service", choices=KEY_SERVICES)
    key_status.add_argument("--json", action="store_true", help="JSON for machines")
    key_status.set_defaults(run=cmd_keys_status)
    rotate = keys.add_parser(
        "rotate",
        help="re-wrap every live key under the current KEK (keys in clear too), a batch per transaction",
        description="Unwrap each key not under the current KEK with the KEK it names and wrap it under the"
        " current one, 500 a transaction, with progress on stderr and a JSON summary on stdout. Safe while"
        " the service runs and to run again. Exit 0 all done; 1 some keys name a KEK not configured.",
    )
    rotate.add_argument("service", choices=KEY_SERVICES)
    rotate.set_defaults(run=cmd_keys_rotate)
    new_kek = keys.add_parser("new-kek", help="print `ID:base64` of 32 random bytes, a line for PATIENT_KEK_FILE")
    new_kek.add_argument("id", help="the new KEK's id (letters, digits, . _ -), e.g. 2026-06")
    new_kek.set_defaults(run=cmd_keys_new_kek)

    db_password = commands.add_parser(
        "db-password",
        help="PostgreSQL role passwords: rotate",
        description="A new generated password for a service's service role (or, with --owner, its schema"
        " owner): written owner-only beside the old file as <file>.new, set by the role itself as a SCRAM"
        " verifier (never the password in clear, never on a command line), checked, then renamed over the"
        " file. Safe to run again after an interruption. The processes using the role read the file when"
        " they start: restart them. Exit 0 done; 3 the current password is refused (nothing changed);"
        " 4 no password file.",
    ).add_subparsers(dest="db_password_command", required=True, metavar="ACTION")
    rotate_password = db_password.add_parser("rotate", help="a new password for a service's role")
    rotate_password.add_argument("service", choices=[s.name for s in SERVICES])
    rotate_password.add_argument("--owner", action="store_true", help="its schema owner instead of its service role")
    rotate_password.set_defaults(run=cmd_db_password_rotate)
    return p


def operator_login_by_default(environ: dict[str, str] | os._Environ[str], state_dir: Path) -> None:
    """Kafka as the `operator` principal when no Kafka credentials are given and deploy/bin/kafka
    generated its password ($LINKWELL_STATE_DIR/kafka/secrets/operator.password): without them the
    broker refuses the CLI, which would then report topics as missing."""
    given = ("KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD", "KAFKA_SASL_PASSWORD_FILE")
    generated = state_dir / "kafka" / "secrets" / "operator.password"
    if not any(environ.get(name) for name in given) and generated.exists():
        environ["KAFKA_SASL_USERNAME"] = "operator"
        environ["KAFKA_SASL_PASSWORD_FILE"] = str(generated)


def main(argv: list[str] | None = None) -> int:
    operator_login_by_default(os.environ, _state_dir())
    p = parser()
    args, extra = p.parse_known_args(argv)
    if args.command == "tokens":  # everything after `tokens` is the token tool's (its --help too)
        args.rest = [a for a in extra + args.rest if a != "--"]
    elif extra:
        p.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        code: int = args.run(args)
    except ValidationError as exc:  # settings the command needs (ENVIRONMENT, a KEK) are missing or refused
        print(f"linkwell: {_settings_problem(exc)}", file=sys.stderr)
        return USAGE
    except ValueError as exc:  # a malformed id or argument
        print(f"linkwell: {exc}", file=sys.stderr)
        return USAGE
    return code


def _settings_problem(exc: ValidationError) -> str:
    """The first refusal in the settings' own words (never the values given)."""
    error = exc.errors()[0]
    return str(error["msg"]).removeprefix("Value error, ")


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
