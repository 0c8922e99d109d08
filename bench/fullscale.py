"""Full-scale bench: the whole programme through the write paths, reporting's rebuild, the ledger's
latency, POST /referrals under a steady rate, beside the backbone's ceilings.

    .venv/bin/python bench/fullscale.py      (make bench runs it after bench/backbone.py)

1. ingest: the demo plan (BENCH_PATIENTS over BENCH_YEARS, seeded) written through the services' own
   write paths in process (fullscale_writer.py), flowing event store + outbox -> relays -> Kafka ->
   consumers; timed from the first write until reporting has projected every event of every service
   and every consumer is caught up (referral <-> engagement milestones included).
2. rebuild: `python -m reporting.entrypoints.rebuild` (live consumer stopped) into emptied tables;
   checks the tables' counts and the ledger are the same afterwards.
3. ledger: BENCH_LEDGER_CALLS x `GET /outcomes/payable?as_of=<last month end>` on a reporting API process;
   then BENCH_LEDGER_CALLS uncached questions with random `as_of` (month ends) and `known_at` (random
   moments over the history) over HTTP (the materialised ledger: totals and the first page).
   3b. the same number of new uncached questions while fullscale_live.py (its own process) adds
   BENCH_LIVE_RATE requests/s through engagement's HTTP API (contacts, review Stars completing W
   outcomes) and times each Star's 201 until its W line answers in reporting's API (freshness); the
   old recompute (`recomputed_at`, in process) for the first BENCH_LEDGER_RECOMPUTE_CALLS (20) of the
   questions, side by side, each pair checked equal; resident memory of the reporting API and consumer.
   Then `reporting.entrypoints.rebuild` as in 2 (after every consumer has caught up with the writer).
   3c. BENCH_HISTORY_FACTOR (10) times the history as synthetic copies (ids moved, reference data
   kept) on topics of their own, loaded into a reporting database of its own by the rebuild, then the
   same questions (and the recompute for the first BENCH_X10_RECOMPUTE_CALLS) on an API over it.
4. POST /referrals at BENCH_POST_RATE/s for BENCH_POST_SECONDS s from a separate process (fullscale_load.py).
5. the backbone's figures, read from the "backbone" section of bench/results.json (make bench runs
   bench/backbone.py first, in the same run).

Creates its own databases (bench_<run>_*) and topics (bench.<run>.*), runs its own processes on free
ports, and removes all of them at the end whatever happened (backbone_infra.Infra).

Environment: BENCH_PATIENTS (11000), BENCH_YEARS (7), BENCH_SEED (7), BENCH_CHUNK (250 patients),
BENCH_UPLOAD_ROWS (2000 activity rows per upload), BENCH_LEDGER_CALLS (200), BENCH_LEDGER_RECOMPUTE_CALLS (20),
BENCH_POST_RATE (100),
BENCH_POST_SECONDS (30), BENCH_POST_WARMUP (5 s at the same rate, reported apart),
BENCH_INGEST_TIMEOUT (3600 s), CONSUMER_BATCH_SIZE (1000), BENCH_LIVE_RATE (20 requests/s),
BENCH_LIVE_STAR_EVERY (10), BENCH_HISTORY_FACTOR (10; 1 skips 3c), BENCH_X10_RECOMPUTE_CALLS (5),
KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:19092), DATABASE_URL (the dev cluster's superuser URL).
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from backbone_infra import BenchFailure, Infra, query
from fullscale_writer import Writer
from tqdm import tqdm

from linkwell_demo.load import category_of
from linkwell_demo.plan import CATEGORIES, build_plan
from linkwell_demo.tokens import TokenMinter
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing.processes import Process
from referral.domain.engagement_milestones import FOLLOWED_CASE_EVENT_TYPES
from referral.service_layer.practice_summaries import FOLLOWED_PRACTICE_EVENT_TYPES

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ENVIRONMENT", "test")  # its tokens and settings, and its load subprocess's
RESULTS = HERE / "results.json"
UVICORN = ["-m", "uvicorn", "--factory", "--host", "127.0.0.1", "--log-level", "warning"]
TARGETS = {
    "ingest_s": 60.0,
    "ledger_p99_ms": 50.0,
    "ledger_x10_p99_ms": 100.0,
    "freshness_p99_ms": 1000.0,
    "post_p99_ms": 25.0,
    "rebuild_copy_ratio": 0.40,
}


@dataclass
class Settings:
    patients: int = 11_000
    years: float = 7
    seed: int = 7
    chunk: int = 250
    upload_rows: int = 2000
    ledger_calls: int = 200
    recompute_calls: int = 20
    post_rate: float = 100
    post_seconds: float = 30
    post_warmup: float = 5
    ingest_timeout: float = 3600
    batch_size: int = 1000
    live_rate: float = 20
    live_star_every: int = 10
    history_factor: int = 10
    x10_recompute_calls: int = 5


def settings_from_env() -> Settings:
    e = os.environ.get
    return Settings(
        patients=int(e("BENCH_PATIENTS", 11_000)),
        years=float(e("BENCH_YEARS", 7)),
        seed=int(e("BENCH_SEED", 7)),
        chunk=int(e("BENCH_CHUNK", 250)),
        upload_rows=int(e("BENCH_UPLOAD_ROWS", 2000)),
        ledger_calls=int(e("BENCH_LEDGER_CALLS", 200)),
        recompute_calls=int(e("BENCH_LEDGER_RECOMPUTE_CALLS", 20)),
        post_rate=float(e("BENCH_POST_RATE", 100)),
        post_seconds=float(e("BENCH_POST_SECONDS", 30)),
        post_warmup=float(e("BENCH_POST_WARMUP", 5)),
        ingest_timeout=float(e("BENCH_INGEST_TIMEOUT", 3600)),
        batch_size=int(e("CONSUMER_BATCH_SIZE", 1000)),
        live_rate=float(e("BENCH_LIVE_RATE", 20)),
        live_star_every=int(e("BENCH_LIVE_STAR_EVERY", 10)),
        history_factor=int(e("BENCH_HISTORY_FACTOR", 10)),
        x10_recompute_calls=int(e("BENCH_X10_RECOMPUTE_CALLS", 5)),
    )


class Platform(Infra):
    """The four services on bench databases and topics: relays and consumers now, APIs on demand."""

    def __init__(self, admin_url: str, bootstrap: str, cfg: Settings) -> None:
        super().__init__(admin_url, bootstrap)
        self.cfg = cfg
        self.topics = {
            f"{s.upper()}_TOPIC": self.topic(s)
            for s in (
                "referral",
                "engagement",
                "directory",
                "commissioner",
                "reporting",
                "practice",
                "patient_pseudonyms",
            )
        }
        self.dsn = {s: self.database(s) for s in ("referral", "engagement", "directory", "reporting")}
        self.consumers: dict[str, Process] = {}
        self.consumer_names = {s: f"bench-{self.run_id}-{s}" for s in ("referral", "engagement", "reporting")}

    def env(self, service: str, **extra: str) -> dict[str, str]:
        return {
            "DATABASE_URL": self.dsn[service],
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "ENVIRONMENT": "test",
            "LINKWELL_FAILPOINTS": "",
            "CONSUMER_BATCH_SIZE": str(self.cfg.batch_size),
            **self.topics,
            **extra,
        }

    def run(self, args: list[str], service: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            env=os.environ | self.env(service),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self, args: list[str], service: str, name: str, **extra: str) -> Process:
        return self._start(Process(args, self.env(service, **extra), f"bench-{name}"))

    def start_consumer(self, service: str) -> Process:
        name = self.consumer_names[service]
        process = Process(
            ["-m", f"{service}.entrypoints.consumer"],
            self.env(service, CONSUMER_NAME=name),
            f"bench-{service}-consumer",
        )
        self._faust_names[process] = name  # Infra.stop removes faust's data dir
        self.consumers[service] = self._start(process)
        return process

    def start_api(self, service: str, **extra: str) -> tuple[Process, str]:
        port = free_port()
        process = self.start(
            [*UVICORN, f"{service}.entrypoints.api:app_from_env", "--port", str(port)],
            service,
            f"{service}-api",
            **extra,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            if not process.alive():
                raise BenchFailure(f"{service} API exited:\n{process.log_tail()}")
            try:
                if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                    return process, url
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise BenchFailure(f"{service} API not ready after 120 s:\n{process.log_tail()}")
            time.sleep(0.3)

    def close(self) -> None:
        super().close()
        for name in self.consumer_names.values():
            shutil.rmtree(Path(tempfile.gettempdir()) / "linkwell-faust" / name, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def count(dsn: str, sql: str, params=None) -> int:
    return int(query(dsn, sql, params)[0][0])


# ------------------------------------------------------------------------------------------ 1. ingest


def prepare(pf: Platform) -> dict:
    """Schemas, reference data and the directory, then relays and consumers; waits until engagement
    knows the directory's services and the link workers (start-up, not timed)."""
    from engagement.bootstrap import prepare_database as prepare_engagement
    from referral.bootstrap import prepare_database as prepare_referral
    from referral.config import Settings as ReferralSettings
    from reporting.bootstrap import prepare_database as prepare_reporting

    prepare_referral(
        ReferralSettings(
            database_url=pf.dsn["referral"],
            referral_topic=pf.topics["REFERRAL_TOPIC"],
            patient_pseudonyms_topic=pf.topics["PATIENT_PSEUDONYMS_TOPIC"],
            environment="test",
        ),
        seed=True,
    )
    prepare_engagement(pf.dsn["engagement"])
    prepare_reporting(pf.dsn["reporting"])
    seeded = pf.run(["-m", "directory.entrypoints.seed"], "directory")
    if seeded.returncode != 0:
        raise BenchFailure(f"directory seed failed:\n{seeded.stderr[-2000:]}")
    for service in ("referral", "engagement", "directory", "reporting"):
        pf.start(["-m", "linkwell_runtime.relay"], service, f"{service}-relay")
    for service in ("referral", "engagement", "reporting"):
        pf.start_consumer(service)
    services = count(pf.dsn["directory"], "SELECT count(*) FROM outbox")
    workers = count(pf.dsn["referral"], "SELECT count(*) FROM link_workers")
    deadline = time.monotonic() + 180
    while (
        count(pf.dsn["engagement"], "SELECT count(*) FROM directory_services") < 1
        or count(pf.dsn["engagement"], "SELECT count(*) FROM link_workers") < workers
    ):
        _alive(pf)
        if time.monotonic() > deadline:
            raise BenchFailure("engagement never learnt the directory and the link workers (180 s)")
        time.sleep(0.5)
    time.sleep(2)  # let the directory's last events land
    by_category: dict[str, list] = {}
    for service_id, categories in query(
        pf.dsn["engagement"],
        "SELECT service_id, categories FROM directory_services"
        " WHERE status <> 'defunct' ORDER BY status <> 'active', name, service_id",
    ):
        for c in categories:
            cat = c if c in CATEGORIES else category_of(c)
            if cat:
                by_category.setdefault(cat, []).append(service_id)
    return {"directory_events": services, "link_workers": workers, "by_category": by_category}


def _alive(pf: Platform) -> None:
    for p in pf.processes:
        if not p.alive() and p.returncode not in (0, None) and p in pf.started_at:
            raise BenchFailure(f"{p.name} exited {p.returncode}:\n{p.log_tail()}")


def pipeline_state(pf: Platform) -> dict[str, int]:
    d, n = pf.dsn, pf.consumer_names
    processed = "SELECT count(*) FROM processed_events WHERE consumer = %s"
    return {
        "referral_events": count(d["referral"], "SELECT count(*) FROM events"),
        # engagement's events on its own topic (discharge summaries go to the practice topic, read by no one here)
        "engagement_events": count(
            d["engagement"], "SELECT count(*) FROM outbox WHERE topic = %s", (pf.topics["ENGAGEMENT_TOPIC"],)
        ),
        "directory_events": count(d["directory"], "SELECT count(*) FROM events"),
        "commissioner_events": count(d["reporting"], "SELECT count(*) FROM events"),
        "reporting_processed": count(d["reporting"], processed, (n["reporting"],)),
        "engagement_processed": count(d["engagement"], processed, (n["engagement"],)),
        "referral_processed": count(d["referral"], processed, (n["referral"],)),
        # the referral consumer decodes and records only the milestones and practice events it follows
        # (the rest pass by header)
        "engagement_milestones": count(
            d["engagement"],
            "SELECT count(*) FROM events WHERE event_type = ANY(%s)",
            (sorted(FOLLOWED_CASE_EVENT_TYPES | FOLLOWED_PRACTICE_EVENT_TYPES),),
        ),
    }


def caught_up(s: dict[str, int]) -> bool:
    return (
        s["reporting_processed"] == s["referral_events"] + s["engagement_events"] + s["commissioner_events"]
        and s["engagement_processed"] == s["referral_events"] + s["directory_events"]
        and s["referral_processed"] == s["engagement_milestones"]
    )


def ingest(pf: Platform, cfg: Settings, ready: dict) -> dict:
    from engagement.config import Settings as EngagementSettings
    from referral.config import Settings as ReferralSettings
    from reporting.config import Settings as ReportingSettings

    codes = tuple(sorted(r[0] for r in query(pf.dsn["referral"], "SELECT ods_code FROM practices WHERE participating")))
    today = datetime.now(ZoneInfo("Europe/London")).date()
    t = time.monotonic()
    plan = build_plan(cfg.seed, cfg.patients, cfg.years, today=today, practices=codes)
    plan_s = time.monotonic() - t
    writer = Writer(
        plan,
        ReferralSettings(
            database_url=pf.dsn["referral"],
            referral_topic=pf.topics["REFERRAL_TOPIC"],
            engagement_topic=pf.topics["ENGAGEMENT_TOPIC"],
            patient_pseudonyms_topic=pf.topics["PATIENT_PSEUDONYMS_TOPIC"],
            environment="test",
        ),
        EngagementSettings(
            database_url=pf.dsn["engagement"],
            engagement_topic=pf.topics["ENGAGEMENT_TOPIC"],
            referral_topic=pf.topics["REFERRAL_TOPIC"],
            directory_topic=pf.topics["DIRECTORY_TOPIC"],
            practice_topic=pf.topics["PRACTICE_TOPIC"],
            environment="test",
        ),
        ReportingSettings(
            database_url=pf.dsn["reporting"],
            commissioner_topic=pf.topics["COMMISSIONER_TOPIC"],
            reporting_topic=pf.topics["REPORTING_TOPIC"],
            referral_topic=pf.topics["REFERRAL_TOPIC"],
            engagement_topic=pf.topics["ENGAGEMENT_TOPIC"],
            patient_pseudonyms_topic=pf.topics["PATIENT_PSEUDONYMS_TOPIC"],
            environment="test",
        ),
        ready["by_category"],
    )
    ordered = sorted(plan.patients, key=lambda p: (p.referred_on, p.index))
    chunks = [ordered[i : i + cfg.chunk] for i in range(0, len(ordered), cfg.chunk)]
    timings = Counter()
    not_opened = 0
    started = time.monotonic()
    try:
        with tqdm(total=len(ordered), desc="writing (referrals, then cases)", unit="patient") as bar:
            previous: list = []
            for chunk in [*chunks, []]:
                t = time.monotonic()
                for p in chunk:
                    writer.referral(p)
                timings["referral writes"] += time.monotonic() - t
                t = time.monotonic()
                ids = [writer.allocated[p.index][0] for p in previous if p.index in writer.allocated]
                opened = writer.wait_for_cases(ids, timeout=120)
                timings["waiting for cases to open"] += time.monotonic() - t
                t = time.monotonic()
                for p in previous:
                    if p.index in writer.allocated:
                        if writer.allocated[p.index][0] in opened:
                            writer.case_work(p)
                        else:
                            not_opened += 1
                    bar.update(1)
                timings["case writes"] += time.monotonic() - t
                _alive(pf)
                previous = chunk
            # The commissioner's uploads match NHS numbers against the patients reporting has seen.
            t = time.monotonic()
            _wait(
                lambda: count(pf.dsn["reporting"], "SELECT count(*) FROM patients"),
                len(ordered),
                "reporting: patients known",
                cfg.ingest_timeout,
                pf,
            )
            timings["waiting for reporting to know every patient"] += time.monotonic() - t
            t = time.monotonic()
            uploads = writer.commissioner_uploads(cfg.upload_rows)
            timings["commissioner uploads"] += time.monotonic() - t
        written = time.monotonic()
        state = _wait_caught_up(pf, cfg.ingest_timeout)
        finished = time.monotonic()
    finally:
        writer.close()
    events = state["referral_events"] + state["engagement_events"] + state["commissioner_events"]
    wall = finished - started
    return {
        "patients": len(ordered),
        "years": cfg.years,
        "plan_build_s": round(plan_s, 1),
        "events": events,
        "events_by_service": {k: v for k, v in state.items() if k.endswith("_events")},
        "activity_rows": count(pf.dsn["reporting"], "SELECT count(*) FROM activity_rows"),
        "wall_s": round(wall, 1),
        "events_per_s": round(events / wall),
        "writes_done_s": round(written - started, 1),
        "drain_after_writes_s": round(finished - written, 1),
        "writer_time_s": {k: round(v, 1) for k, v in timings.items()},
        "cases_not_opened_in_time": not_opened,
        "uploads": uploads,
        "write_counts": dict(writer.summary.counts),
        "refusals": dict(writer.summary.refusals),
        "refusal_examples": writer.summary.examples,
    }


def _wait(current, target: int, desc: str, timeout: float, pf: Platform) -> None:
    deadline, last = time.monotonic() + timeout, 0
    with tqdm(total=target, desc=desc, unit="row", leave=False) as bar:
        while last < target:
            _alive(pf)
            if time.monotonic() > deadline:
                raise BenchFailure(f"{desc}: {last}/{target} after {timeout:.0f}s")
            time.sleep(0.25)
            now = current()
            bar.update(now - last)
            last = now


def _wait_caught_up(pf: Platform, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    state = pipeline_state(pf)
    with tqdm(desc="projecting (reporting's consumer)", unit="ev", leave=False) as bar:
        while not caught_up(state):
            _alive(pf)
            if time.monotonic() > deadline:
                raise BenchFailure(f"not caught up after {timeout:.0f}s: {state}")
            time.sleep(0.25)
            state = pipeline_state(pf)
            bar.total = state["referral_events"] + state["engagement_events"] + state["commissioner_events"]
            bar.n = state["reporting_processed"]
            bar.refresh()
    return state


# ----------------------------------------------------------------------------------- 3. the ledger


def month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def ledger_latency(url: str, calls: int) -> dict:
    token = TokenMinter().token("finance")
    as_of = month_end_before(datetime.now(ZoneInfo("Europe/London")).date())
    times, body = [], None
    with httpx.Client(timeout=120) as client:
        for _ in tqdm(range(calls), desc=f"GET /outcomes/payable?as_of={as_of}", unit="call", leave=False):
            t = time.perf_counter()
            r = client.get(
                f"{url}/outcomes/payable",
                params={"as_of": as_of.isoformat()},
                headers={"Authorization": f"Bearer {token}"},
            )
            times.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise BenchFailure(f"GET /outcomes/payable -> {r.status_code}: {r.text[:300]}")
            body = r.json()
    ordered = sorted(times)
    return {
        "as_of": as_of.isoformat(),
        "calls": calls,
        "first_call_ms": round(times[0] * 1000, 1),
        "p50_ms": _pct(ordered, 50),
        "p95_ms": _pct(ordered, 95),
        "p99_ms": _pct(ordered, 99),
        "max_ms": round(ordered[-1] * 1000, 1),
        "mean_ms": round(statistics.mean(times) * 1000, 2),
        "warm_p99_ms": _pct(sorted(times[1:]), 99) if calls > 1 else None,
        "lines": body["page"]["total_lines"],
        "page_lines": len(body["lines"]),
        "total_pence": body["totals"]["amount"],
        "w_lines": _count(url, token, as_of.isoformat(), "W"),
        "s_lines": _count(url, token, as_of.isoformat(), "S"),
    }


def _count(url: str, token: str, as_of: str, outcome_type: str) -> int:
    """Lines of one outcome type in the answer (`limit=0`: the totals alone)."""
    r = httpx.get(
        f"{url}/outcomes/payable",
        params={"as_of": as_of, "outcome_type": outcome_type, "limit": 0},
        headers={"Authorization": f"Bearer {token}"},
        timeout=120,
    )
    return int(r.json()["page"]["total_lines"])


def random_questions(dsn: str, url: str, calls: int, recompute_calls: int, seed: int) -> dict:
    """Uncached questions (every (as_of, known_at) differs): the materialised ledger over HTTP, and
    the old recompute in process for the first `recompute_calls` of them, each pair checked equal."""
    import random

    import psycopg2

    from reporting.domain import load_packaged_rulebooks
    from reporting.entrypoints.ledger_json import page_body
    from reporting.service_layer.ledger import recomputed_at
    from reporting.service_layer.ledger_pages import LinesQuery, page_of

    rulebooks = load_packaged_rulebooks()
    first, last = query(
        dsn,
        "SELECT min(recorded_at), max(recorded_at) FROM (SELECT recorded_at FROM facts UNION ALL"
        " SELECT recorded_at FROM activity_rows UNION ALL SELECT recorded_at FROM comparison_costs) x",
    )[0]
    rng = random.Random(seed)
    span = (last - first).total_seconds()
    questions = []
    for _ in range(calls):
        known_at = first + timedelta(seconds=rng.uniform(0, span))
        day = first.date() + timedelta(days=rng.randint(0, (last.date() - first.date()).days + 366))
        questions.append((month_end_before(day.replace(day=28) + timedelta(days=4)), known_at))
    token = TokenMinter().token("finance")
    fast, slow, lines = [], [], []
    with httpx.Client(timeout=300) as client, contextlib.closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        for i, (as_of, known_at) in enumerate(tqdm(questions, desc="random (as_of, known_at)", leave=False)):
            t = time.perf_counter()
            r = client.get(
                f"{url}/outcomes/payable",
                params={"as_of": as_of.isoformat(), "known_at": known_at.isoformat()},
                headers={"Authorization": f"Bearer {token}"},
            )
            fast.append(time.perf_counter() - t)
            if r.status_code != 200:
                raise BenchFailure(f"GET /outcomes/payable -> {r.status_code}: {r.text[:300]}")
            body = r.json()
            lines.append(body["page"]["total_lines"])
            if i < recompute_calls:
                t = time.perf_counter()
                pure = recomputed_at(cur, rulebooks, as_of=as_of, known_at=known_at)
                slow.append(time.perf_counter() - t)
                expected = json.loads(json.dumps(page_body(page_of(pure, LinesQuery(), 0, 100), None)))
                if (expected["lines"], expected["totals"]) != (body["lines"], body["totals"]):
                    raise BenchFailure(f"materialised != recomputed at as_of={as_of} known_at={known_at}")
            conn.rollback()
    return {
        "calls": calls,
        "p50_ms": _pct(sorted(fast), 50),
        "p99_ms": _pct(sorted(fast), 99),
        "max_ms": round(max(fast) * 1000, 1),
        "lines_median": int(statistics.median(lines)),
        "lines_max": max(lines),
        "recompute_calls": len(slow),
        "recompute_p50_ms": _pct(sorted(slow), 50) if slow else None,
        "recompute_p99_ms": _pct(sorted(slow), 99) if slow else None,
        "same_p50_ms": _pct(sorted(fast[: len(slow)]), 50) if slow else None,
        "equal": True,
    }


def ledger_answer(url: str, as_of: str, known_at: str) -> dict:
    """The whole answer: its totals and every line, page after page."""
    token = TokenMinter().token("finance")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, timeout=300, headers=headers) as client:
        r = client.get("/outcomes/payable", params={"as_of": as_of, "known_at": known_at, "limit": 1000})
        whole: dict = {"lines": []}
        while True:
            if r.status_code != 200:
                raise BenchFailure(f"GET /outcomes/payable -> {r.status_code}: {r.text[:300]}")
            body = r.json()
            whole["lines"] += body["lines"]
            whole["totals"] = body["totals"]
            if body["page"]["next"] is None:
                return whole
            r = client.get(body["page"]["next"])


def _pct(ordered: list[float], p: float) -> float:
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))  # nearest rank
    return round(ordered[k] * 1000, 2)


# ----------------------------------------------------------------------------------- 2. the rebuild

TABLES = (
    "facts",
    "patients",
    "activity_rows",
    "comparison_costs",
    "referral_progress",
    "case_holders",
    "stars",
    "linkages",
)


def rebuild(pf: Platform, api_url: str, as_of: str) -> dict:
    pf.stop(pf.consumers["reporting"])  # the README: stop the live consumer first
    dsn = pf.dsn["reporting"]
    before = {t: count(dsn, f"SELECT count(*) FROM {t}") for t in TABLES}
    known_at = datetime.now(UTC).isoformat()
    ledger_before = ledger_answer(api_url, as_of, known_at)
    target = count(dsn, "SELECT count(*) FROM processed_events WHERE consumer = %s", (pf.consumer_names["reporting"],))
    t = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "reporting.entrypoints.rebuild"],
        text=True,
        env=os.environ | pf.env("reporting", CONSUMER_NAME=pf.consumer_names["reporting"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    peak = 0.0
    while process.poll() is None:  # one transaction: nothing to count from outside until it commits
        peak = max(peak, rss_mb(process.pid)["rss_mb"] or 0.0)
        time.sleep(0.25)
        if time.monotonic() - t > 3600:
            process.kill()
            raise BenchFailure("rebuild took over an hour")
    seconds = time.monotonic() - t
    stdout, stderr = process.communicate()
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    if done.returncode != 0:
        raise BenchFailure(f"rebuild failed:\n{done.stderr[-3000:]}")
    after = {t: count(dsn, f"SELECT count(*) FROM {t}") for t in TABLES}
    ledger_after = ledger_answer(api_url, as_of, known_at)
    if before != after or ledger_before != ledger_after:
        raise BenchFailure(
            f"rebuild differs: tables {before} -> {after}; ledger equal: {ledger_before == ledger_after}"
        )
    result = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    events = int(result.get("events", target))
    copied = copy_rate(dsn)
    return {
        "wall_s": round(seconds, 1),
        "rows": after,
        "result": result,
        "same_tables_and_ledger": True,
        "rows_per_s": round(sum(before.values()) / seconds) if seconds else None,
        "events": events,
        "events_per_s": round(events / seconds) if seconds else None,
        "copy": copied,
        "ratio_to_copy": round(events / seconds / copied["rows_per_s"], 3) if seconds else None,
        "progress_lines": [line for line in done.stderr.splitlines() if line.startswith("rebuild:")][-3:],
        "peak_rss_mb": peak,
    }


def copy_rate(dsn: str) -> dict:
    """PostgreSQL's own COPY rate in this run, for rows shaped like the events replayed: the rebuilt
    `facts` copied out, then timed into an empty logged table of the same shape and indexes."""
    import io

    import psycopg2

    columns = "event_id, event_type, schema_version, case_id, occurred_at, recorded_at, payload"
    with contextlib.closing(psycopg2.connect(dsn)) as conn, conn.cursor() as cur:
        rows = io.BytesIO()
        cur.copy_expert(f"COPY (SELECT {columns} FROM facts) TO STDOUT", rows)
        cur.execute("SELECT count(*) FROM facts")
        [(n,)] = cur.fetchall()
        cur.execute("DROP TABLE IF EXISTS bench_copy_facts; CREATE TABLE bench_copy_facts (LIKE facts INCLUDING ALL)")
        conn.commit()
        rows.seek(0)
        t = time.perf_counter()
        cur.copy_expert(f"COPY bench_copy_facts ({columns}) FROM STDIN", rows)
        conn.commit()
        seconds = time.perf_counter() - t
        cur.execute("DROP TABLE bench_copy_facts")
        conn.commit()
    return {"rows": n, "seconds": round(seconds, 2), "rows_per_s": round(n / seconds)}


# ------------------------------------------------------------- 3b. the ledger while a writer adds events


def rss_mb(pid: int) -> dict[str, float | None]:
    """A process's resident memory now and its peak so far (/proc: VmRSS, VmHWM), in MiB."""
    found: dict[str, float | None] = {"rss_mb": None, "peak_mb": None}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                found["rss_mb" if line.startswith("VmRSS") else "peak_mb"] = round(int(line.split()[1]) / 1024, 1)
    return found


def memory_of(processes: dict[str, Process]) -> dict[str, dict[str, float | None]]:
    return {name: rss_mb(p.popen.pid) for name, p in processes.items() if p.popen is not None}


def live_plan(pf: Platform, engagement_url: str, reporting_url: str, cfg: Settings, seconds: float) -> dict:
    """What the live writer sends: review Stars that complete a W outcome today, and contacts.

    A review today completes a W outcome when the case is open, its baseline (earliest Star not
    voided) was taken 140 days to two years ago (less a month's margin), every Star of the case is at
    least 140 days old (so the review is 140 days after the last qualifying one), at most three
    reviews were taken (four W outcomes at most), and its total is the baseline's + 4 (>= 2)."""
    rows = query(
        pf.dsn["reporting"],
        "SELECT h.case_id, h.provider_id, h.link_worker_id, b.scores FROM case_holders h"
        " JOIN LATERAL (SELECT count(*) AS n, max(taken_on) AS last FROM stars WHERE case_id = h.case_id"
        "  AND NOT voided) s ON true"
        " JOIN LATERAL (SELECT scores, taken_on FROM stars WHERE case_id = h.case_id AND NOT voided"
        "  ORDER BY taken_on, recorded_at LIMIT 1) b ON true"
        " WHERE h.open AND s.n BETWEEN 1 AND 4 AND s.last <= current_date - 140"
        " AND b.taken_on >= current_date - 700 ORDER BY h.case_id",
    )
    reviews = []
    for case_id, provider_id, link_worker_id, scores in rows:
        better = dict(scores)
        for area in sorted(better, key=lambda a: (better[a], a))[:4]:
            better[area] = min(10, better[area] + 1)
        if sum(better.values()) >= sum(scores.values()) + 2:
            reviews.append([str(case_id), str(provider_id), str(link_worker_id), better])
    contacts = [
        [str(c), str(p), str(w)]
        for c, p, w in query(
            pf.dsn["reporting"], "SELECT case_id, provider_id, link_worker_id FROM case_holders WHERE open LIMIT 2000"
        )
    ]
    return {
        "engagement": engagement_url,
        "reporting": reporting_url,
        "rate": cfg.live_rate,
        "seconds": seconds,
        "star_every": cfg.live_star_every,
        "deadline": 10.0,
        "reviews": reviews,
        "contacts": contacts,
    }


def under_load(pf: Platform, reporting_api: Process, reporting_url: str, cfg: Settings) -> dict:
    """The 200 uncached questions (and the old recompute for the first of them) while a separate
    process adds events through engagement's HTTP API at BENCH_LIVE_RATE/s and measures freshness."""
    engagement_api, engagement_url = pf.start_api("engagement")
    plan = live_plan(pf, engagement_url, reporting_url, cfg, seconds=1800)
    plan_file = Path(tempfile.mkstemp(prefix="bench-live-", suffix=".json")[1])
    plan_file.write_text(json.dumps(plan))
    topic = pf.topics["ENGAGEMENT_TOPIC"]
    outbox = "SELECT count(*) FROM outbox WHERE topic = %s"
    writer = subprocess.Popen(
        [sys.executable, str(HERE / "fullscale_live.py"), str(plan_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"ENVIRONMENT": "test"},
    )
    try:
        if writer.stdout is None or writer.stdout.readline().strip() != "ready":
            raise BenchFailure(f"live writer did not start: {writer.stderr.read() if writer.stderr else ''}")
        time.sleep(5)  # a few seconds of load before the first question
        before, started = count(pf.dsn["engagement"], outbox, (topic,)), time.monotonic()
        load_before = os.getloadavg()
        questions = random_questions(
            pf.dsn["reporting"], reporting_url, cfg.ledger_calls, cfg.recompute_calls, cfg.seed + 1
        )
        memory = memory_of({"reporting API": reporting_api, "reporting consumer": pf.consumers["reporting"]})
        written = count(pf.dsn["engagement"], outbox, (topic,)) - before
        seconds = time.monotonic() - started
        load_after = os.getloadavg()
    finally:
        writer.terminate()
    out, err = writer.communicate(timeout=120)
    plan_file.unlink(missing_ok=True)
    pf.stop(engagement_api)
    if writer.returncode != 0:
        raise BenchFailure(f"live writer failed:\n{err[-2000:]}")
    live = json.loads(out.strip().splitlines()[-1])
    return {
        "questions": questions,
        "writer": live,
        "events_during_questions": written,
        "events_per_s_during_questions": round(written / seconds, 1),
        "question_seconds": round(seconds, 1),
        "review_candidates": len(plan["reviews"]),
        "memory": memory,
        "load_average": [round(x, 2) for x in (*load_before, *load_after)],
    }


# --------------------------------------------------------------- 3c. ten times the history, synthetic

_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def ten_times(pf: Platform, cfg: Settings) -> dict:
    """The programme's history BENCH_HISTORY_FACTOR times over, loaded straight into a reporting
    database of its own through the rebuild, then the same uncached questions on an API over it.

    Copy k of every event on the referral, engagement and commissioner topics is the event with every
    id (events, cases, patients, Stars, uploads, rows) moved (its first byte plus k), and the reference data's
    ids (providers, link workers, directory services) kept: so k distinct programmes sharing the
    providers and their link workers, with the same dates (cohorts k times as large)."""
    from kafka import KafkaProducer

    from reporting.adapters.topic_reader import read_to_end
    from reporting.bootstrap import prepare_database as prepare_reporting

    keep = {
        str(r[0]).encode()
        for r in [
            *query(pf.dsn["referral"], "SELECT provider_id FROM providers"),
            *query(pf.dsn["referral"], "SELECT link_worker_id FROM link_workers"),
            *query(pf.dsn["engagement"], "SELECT service_id FROM directory_services"),
        ]
    }
    sources = ("REFERRAL", "ENGAGEMENT", "COMMISSIONER", "PATIENT_PSEUDONYMS")
    topics = {f"{s}_TOPIC": pf.topic(f"x{cfg.history_factor}_{s.lower()}") for s in sources}
    dsn = pf.database(f"reporting_x{cfg.history_factor}")
    prepare_reporting(dsn)
    producer = KafkaProducer(
        **connection(pf.bootstrap), linger_ms=20, batch_size=512 * 1024, max_request_size=2 * 1024**2
    )
    written, t = 0, time.monotonic()
    for source in sources:
        target = topics[f"{source}_TOPIC"]
        for batch in tqdm(
            read_to_end(pf.bootstrap, [pf.topics[f"{source}_TOPIC"]], 5000), desc=f"x{cfg.history_factor} {source}"
        ):
            for m in batch:
                for k in range(cfg.history_factor):

                    def moved(u: re.Match, k: int = k) -> bytes:  # first byte + k: never the original's
                        return u[0] if u[0] in keep else b"%02x" % ((int(u[0][:2], 16) + k) % 256) + u[0][2:]

                    value = m.value if k == 0 or m.value is None else _UUID.sub(moved, m.value)
                    key = m.key if k == 0 or m.key is None else _UUID.sub(moved, m.key)
                    producer.send(target, key=key, value=value, headers=list(m.headers))
                    written += 1
    producer.flush()
    producer.close()
    produced_s = time.monotonic() - t
    name = f"bench-{pf.run_id}-x{cfg.history_factor}"
    t = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "reporting.entrypoints.rebuild"],
        text=True,
        env=os.environ | pf.env("reporting", DATABASE_URL=dsn, CONSUMER_NAME=name, **topics),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, rss_mb(process.pid)["rss_mb"] or 0.0)
        time.sleep(0.25)
    seconds = time.monotonic() - t
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise BenchFailure(f"x{cfg.history_factor} rebuild failed:\n{stderr[-3000:]}")
    result = ast.literal_eval(stdout.strip().splitlines()[-1])
    copied = copy_rate(dsn)
    api, url = pf.start_api("reporting", DATABASE_URL=dsn, **topics)
    questions = random_questions(dsn, url, cfg.ledger_calls, cfg.x10_recompute_calls, cfg.seed + 1)
    consumer = caught_up_consumer(pf, dsn, name, list(topics.values()), topics)
    memory = memory_of({"reporting API": api, "reporting consumer (caught up, idle)": consumer})
    pf.stop(consumer)
    pf.stop(api)
    facts = count(dsn, "SELECT count(*) FROM facts")
    lines = count(dsn, "SELECT count(*) FROM ledger_lines")
    return {
        "factor": cfg.history_factor,
        "events": written,
        "produced_s": round(produced_s, 1),
        "facts": facts,
        "activity_rows": count(dsn, "SELECT count(*) FROM activity_rows"),
        "ledger_line_versions": lines,
        "rebuild_wall_s": round(seconds, 1),
        "rebuild": result,
        "rebuild_events_per_s": round(result["events"] / seconds),
        "rebuild_peak_rss_mb": peak,
        "copy": copied,
        "ratio_to_copy": round(result["events"] / seconds / copied["rows_per_s"], 3),
        "questions": questions,
        "memory": memory,
    }


def caught_up_consumer(pf: Platform, dsn: str, name: str, topic_names: list[str], topics: dict[str, str]) -> Process:
    """Reporting's live consumer over the rebuilt x10 database, as after a rebuild: its group's offsets
    at the topics' ends (what the rebuild applied), started, and back once the group is stable (it
    joined and holds its partitions) and it has polled idle for a few seconds: its memory then is what
    the live consumer keeps beside a history ten times the programme's."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    group = KafkaConsumer(**connection(pf.bootstrap), group_id=name, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(t, p) for t in topic_names for p in sorted(group.partitions_for_topic(t) or ())]
        ends = group.end_offsets(partitions)
        group.commit({tp: OffsetAndMetadata(end, "", -1) for tp, end in ends.items()})
    finally:
        group.close()
    process = pf.start(
        ["-m", "reporting.entrypoints.consumer"],
        "reporting",
        f"reporting-x{pf.cfg.history_factor}-consumer",
        DATABASE_URL=dsn,
        CONSUMER_NAME=name,
        **topics,
    )
    pf._faust_names[process] = name  # Infra.stop removes faust's data dir
    deadline = time.monotonic() + 180
    while True:
        if not process.alive():
            raise BenchFailure(f"x{pf.cfg.history_factor} reporting consumer exited:\n{process.log_tail()}")
        with pf.kafka_admin() as client:
            [described] = client.describe_consumer_groups([name])
        if described.state == "Stable" and described.members:
            break
        if time.monotonic() > deadline:
            raise BenchFailure(f"x{pf.cfg.history_factor} reporting consumer not in its group after 180 s")
        time.sleep(0.5)
    idle_until = time.monotonic() + 5  # a few idle polls (faust's fetches) after the assignment
    while time.monotonic() < idle_until:
        time.sleep(0.5)
    return process


# ------------------------------------------------------------------------------ 4. POST /referrals


def post_load(url: str, cfg: Settings) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "fullscale_load.py"),
            url,
            str(cfg.post_rate),
            str(cfg.post_seconds),
            str(cfg.seed + 100_000),
            str(cfg.post_warmup),
        ],
        capture_output=True,
        text=True,
        timeout=cfg.post_warmup + cfg.post_seconds + 300,
        check=False,
    )
    if done.returncode != 0:
        raise BenchFailure(f"load generator failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------- the whole


def measure(pf: Platform, cfg: Settings, out: dict) -> None:
    """Each step's figures go into `out` as soon as they are measured (a later failure keeps them)."""
    ready = prepare(pf)
    out["ingest"] = ingest(pf, cfg, ready)
    reporting_api, reporting_url = pf.start_api("reporting")
    out["ledger"] = ledger_latency(reporting_url, cfg.ledger_calls)
    # quiet: no writer, no recompute (the recompute is timed under load, on the same questions)
    out["ledger_random"] = random_questions(pf.dsn["reporting"], reporting_url, cfg.ledger_calls, 0, cfg.seed)
    out["under_load"] = under_load(pf, reporting_api, reporting_url, cfg)
    _wait_caught_up(pf, cfg.ingest_timeout)  # the writer's events too, before the rebuild compares tables
    out["rebuild"] = rebuild(pf, reporting_url, out["ledger"]["as_of"])
    out["rebuild"]["memory_after"] = memory_of({"reporting API": reporting_api})
    pf.stop(reporting_api)
    if cfg.history_factor > 1:
        out["x10"] = ten_times(pf, cfg)
    referral_api, referral_url = pf.start_api("referral")
    out["post_referrals"] = post_load(referral_url, cfg)
    if out["post_referrals"]["errors"]:
        out["post_referrals"]["referral_api_log_tail"] = referral_api.log_tail(80)


def backbone_figures() -> dict | None:
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    return data.get("backbone")


def table(r: dict, cfg: Settings) -> list[tuple[str, str, str, str]]:
    i, lg, rb, pr = r["ingest"], r["ledger"], r["rebuild"], r["post_referrals"]
    rows = [
        (
            f"1. ingest {i['patients']:,} patients / {cfg.years:g} y ({i['events']:,} events)",
            f"{i['wall_s']:.1f} s",
            f"<= {TARGETS['ingest_s']:.0f} s",
            "target " + ("met" if i["wall_s"] <= TARGETS["ingest_s"] else "NOT met"),
        ),
        ("   ingest rate (first write -> all projected)", f"{i['events_per_s']:,} ev/s", "", ""),
        (
            f"2. reporting rebuild ({sum(rb['rows'].values()):,} rows)",
            f"{rb['wall_s']:.1f} s",
            "",
            "same tables + ledger",
        ),
        (
            f"   rebuild rate ({rb['events']:,} events replayed)",
            f"{rb['events_per_s']:,} ev/s",
            f"{rb['copy']['rows_per_s']:,} (pg COPY)",
            f"ratio {rb['ratio_to_copy']:.2f} (target >= {TARGETS['rebuild_copy_ratio']:.2f}: "
            + ("met)" if rb["ratio_to_copy"] >= TARGETS["rebuild_copy_ratio"] else "NOT met)"),
        ),
        (f"3. GET /outcomes/payable p50 ({lg['calls']} calls)", f"{lg['p50_ms']:.1f} ms", "", ""),
        ("   p95", f"{lg['p95_ms']:.1f} ms", "", ""),
        (
            "   p99",
            f"{lg['p99_ms']:.1f} ms",
            f"<= {TARGETS['ledger_p99_ms']:.0f} ms",
            "target " + ("met" if lg["p99_ms"] <= TARGETS["ledger_p99_ms"] else "NOT met"),
        ),
        ("   first call (cache cold)", f"{lg['first_call_ms']:.0f} ms", "", ""),
        *random_rows(r.get("ledger_random")),
        *load_rows(r.get("under_load"), r["rebuild"], cfg),
        *x10_rows(r.get("x10")),
        (f"4. POST /referrals @{cfg.post_rate:g}/s x {cfg.post_seconds:g} s: p50", f"{pr['p50_ms']} ms", "", ""),
        (
            "   p99",
            f"{pr['p99_ms']} ms",
            f"<= {TARGETS['post_p99_ms']:.0f} ms",
            "target " + ("met" if (pr["p99_ms"] or 1e9) <= TARGETS["post_p99_ms"] else "NOT met"),
        ),
        ("   errors", f"{pr['errors']}", "0", "target " + ("met" if pr["errors"] == 0 else "NOT met")),
        (
            f"   warm-up before them ({pr.get('warmup_seconds', 0):g} s, same rate): p99",
            f"{pr.get('warmup_p99_ms')} ms",
            "",
            f"{pr.get('warmup_errors', 0)} errors; not in the figures above",
        ),
    ]
    bb = r.get("backbone")
    if bb:
        e2e = next((row for row in bb["table"] if row["stage"].startswith("end-to-end (first")), None)
        for row in bb["table"]:
            rows.append(
                (
                    f"5. backbone: {row['stage']}",
                    f"{row['events_per_sec']:,} ev/s",
                    f"{row['ceiling']:,} ({row['ceiling_source']})",
                    f"ratio {row['ratio']:.2f}",
                )
            )
        if e2e:
            rows.append(
                (
                    "   full-scale ingest vs the backbone's end-to-end",
                    f"{i['events_per_s']:,} ev/s",
                    f"{e2e['events_per_sec']:,} (backbone)",
                    f"ratio {i['events_per_s'] / e2e['events_per_sec']:.2f}",
                )
            )
    else:
        rows.append(("5. backbone", "not measured", "", "run bench/backbone.py (make bench runs both)"))
    return rows


def random_rows(q: dict | None, title: str = "random (as_of, known_at), uncached", target: str = "ledger_p99_ms"):
    if not q:
        return []
    rows = [
        (f"   {title}, {q['calls']} calls: p50", f"{q['p50_ms']:.1f} ms", "", ""),
        (
            "   p99",
            f"{q['p99_ms']:.1f} ms",
            f"<= {TARGETS[target]:.0f} ms",
            f"ratio {q['p99_ms'] / TARGETS[target]:.2f}; target "
            + ("met" if q["p99_ms"] <= TARGETS[target] else "NOT met"),
        ),
    ]
    if q["recompute_calls"]:
        rows += [
            (
                f"   old recompute, the first {q['recompute_calls']} of them: p50",
                f"{q['recompute_p50_ms']} ms",
                f"materialised {q['same_p50_ms']} ms",
                f"x{q['recompute_p50_ms'] / q['same_p50_ms']:.0f} slower; equal answers",
            ),
            ("   p99", f"{q['recompute_p99_ms']} ms", "", ""),
        ]
    return rows


def _mem(memory: dict) -> str:
    return ", ".join(f"{name} {m['rss_mb']} MiB (peak {m['peak_mb']})" for name, m in memory.items())


def load_rows(u: dict | None, rb: dict, cfg: Settings) -> list[tuple[str, str, str, str]]:
    if not u:
        return []
    w = u["writer"]
    return [
        (
            f"3b. writer {cfg.live_rate:g} req/s (engagement HTTP: Stars, contacts)",
            f"{u['events_per_s_during_questions']:.1f} ev/s",
            f"{cfg.live_rate:g} (target rate)",
            f"{w['requests_per_s']} req/s sent; errors {w['errors'] or 0}; POST p99 {w['post_p99_ms']} ms",
        ),
        *random_rows(u["questions"], "under that load: random uncached"),
        (
            f"   freshness: Star 201 -> its W line in the API, p50 ({w['fresh_lines']} lines)",
            f"{w['freshness_p50_ms']} ms",
            "",
            f"{w['stale_lines']} not seen within {w['deadline_s']:g} s",
        ),
        (
            "   p99",
            f"{w['freshness_p99_ms']} ms",
            f"<= {TARGETS['freshness_p99_ms']:.0f} ms",
            f"ratio {(w['freshness_p99_ms'] or 1e9) / TARGETS['freshness_p99_ms']:.2f}; target "
            + ("met" if (w["freshness_p99_ms"] or 1e9) <= TARGETS["freshness_p99_ms"] else "NOT met"),
        ),
        ("   resident memory under load", _mem(u["memory"]), "", ""),
        ("   rebuild process (1x)", f"peak {rb.get('peak_rss_mb')} MiB", "", ""),
        ("   load average (1/5/15 min, before; after)", " ".join(map(str, u["load_average"])), "", "2 shared cores"),
    ]


def x10_rows(x: dict | None) -> list[tuple[str, str, str, str]]:
    if not x:
        return []
    return [
        (
            f"3c. x{x['factor']} history: rebuild of {x['events']:,} synthetic events",
            f"{x['rebuild_wall_s']:.1f} s",
            "",
            f"{x['facts']:,} facts, {x['activity_rows']:,} activity rows, {x['ledger_line_versions']:,} line versions",
        ),
        (
            "   rebuild rate",
            f"{x['rebuild_events_per_s']:,} ev/s",
            f"{x['copy']['rows_per_s']:,} (pg COPY)",
            f"ratio {x['ratio_to_copy']:.2f} (target >= {TARGETS['rebuild_copy_ratio']:.2f})",
        ),
        *random_rows(x["questions"], f"x{x['factor']}: random uncached", "ledger_x10_p99_ms"),
        ("   resident memory", _mem(x["memory"]) + f"; rebuild peak {x['rebuild_peak_rss_mb']} MiB", "", ""),
    ]


def print_table(rows, r: dict, cfg: Settings) -> None:
    i = r["ingest"]
    print(
        f"\nfull scale: {cfg.patients:,} patients over {cfg.years:g} years (seed {cfg.seed}), {os.cpu_count()} cores,"
        f" consumer batch {cfg.batch_size}, activity uploads of {cfg.upload_rows} rows"
    )
    print(f"{'figure':<58} {'value':>14} {'target / ceiling':>26}  note")
    for name, value, target, note in rows:
        print(f"{name:<58} {value:>14} {target:>26}  {note}")
    print(f"events: {i['events_by_service']}; activity rows {i['activity_rows']:,}")
    print(
        f"writer: {i['writer_time_s']}; writes done at {i['writes_done_s']} s, then {i['drain_after_writes_s']} s"
        f" until every consumer had caught up"
    )
    print(f"written: {i['write_counts']}")
    if i["refusals"]:
        print(f"refused (counted, as the demo loader does): {i['refusals']}")
    lg = r["ledger"]
    print(
        f"ledger for {lg['as_of']}: {lg['lines']:,} lines ({lg['w_lines']} W, {lg['s_lines']} S),"
        f" {lg['total_pence'] / 100:,.2f} GBP; warm p99 {lg['warm_p99_ms']} ms"
    )
    pr = r["post_referrals"]
    print(
        f"POST /referrals: {pr['answered']}/{pr['requests']} answered in {pr['seconds']} s ({pr['achieved_rps']}/s),"
        f" {pr['errors']} errors {pr['error_kinds'] or ''}; latency from send p50 {pr['p50_from_send_ms']} ms,"
        f" p99 {pr['p99_from_send_ms']} ms; max {pr['max_ms']} ms"
    )


def save(r: dict, rows, cfg: Settings) -> None:
    table = [{"figure": n, "value": v, "target_or_ceiling": t, "note": note} for n, v, t, note in rows]
    _store("fullscale", {"targets": TARGETS, "table": table, **{k: v for k, v in r.items() if k != "backbone"}}, cfg)


def _store(section: str, figures: dict, cfg: Settings) -> None:
    """One section of `results.json` (the others, e.g. the backbone's, are kept), stamped and with the settings."""
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[section] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": asdict(cfg) | {"cores": os.cpu_count()},
        **figures,
    }
    RESULTS.write_text(json.dumps(data, indent=2, default=str) + "\n")


def save_partial(r: dict, cfg: Settings) -> None:
    """The steps measured before a failure, under `fullscale_partial` (the last full run's `fullscale`
    is left as it was), and printed."""
    _store("fullscale_partial", r, cfg)
    print(json.dumps(r, indent=1, default=str)[:20000], file=sys.stderr)
    print(f"the steps measured before the failure: {sorted(r)} (in {RESULTS}, fullscale_partial)", file=sys.stderr)


def main() -> int:
    cfg = settings_from_env()
    started = time.monotonic()
    pf = Platform(
        os.environ.get("DATABASE_URL", "postgresql://postgres:postgres@127.0.0.1:25432/postgres"),
        os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
        cfg,
    )
    results: dict = {}
    try:
        measure(pf, cfg, results)
    except Exception as exc:  # noqa: BLE001 - any failure: report it and keep what was measured
        print(f"bench FAILED: {exc}", file=sys.stderr)
        if not isinstance(exc, BenchFailure):
            traceback.print_exc()
        save_partial(results, cfg)  # what was measured before the failure is not lost
        return 1
    finally:
        pf.close()  # always: processes, bench databases, bench topics
    results["backbone"] = backbone_figures()
    rows = table(results, cfg)
    print_table(rows, results, cfg)
    save(results, rows, cfg)
    print(f"({time.monotonic() - started:.0f}s in all; results in {RESULTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
