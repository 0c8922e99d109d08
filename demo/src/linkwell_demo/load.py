"""Drive the public HTTP APIs with a plan: referrals, then each allocated case's work, then the
commissioner's data. Never another service's tables.

Every write carries a deterministic `Idempotency-Key` (seed, today, patient, step), so re-running
the same load on the same day replays answers instead of duplicating records.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import httpx

from linkwell_demo.plan import CATEGORIES, CasePlan, PatientPlan, Plan, build_plan
from linkwell_demo.tokens import TokenMinter


@dataclass
class Urls:
    referral: str = "http://127.0.0.1:8001"
    engagement: str = "http://127.0.0.1:8002"
    directory: str = "http://127.0.0.1:8003"
    reporting: str = "http://127.0.0.1:8004"


@dataclass
class Options:
    workers: int = 8
    case_open_timeout: float = 60.0  # seconds to wait for engagement to open an allocated case
    reporting_role: str = "finance"
    progress: bool = True
    reporting_wait: float = 0.0  # seconds to wait for reporting's /ready (0: ask once)


class ApiError(Exception):
    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.text = response.text[:500]
        super().__init__(
            f"{response.request.method} {response.request.url.path} -> {response.status_code}: {self.text}"
        )


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)  # what happened, by name
    referral_status: Counter = field(default_factory=Counter)  # status as the referral API answered
    case_outcome: Counter = field(default_factory=Counter)  # how far each case's plan got
    errors: Counter = field(default_factory=Counter)  # refusals, by short reason
    error_examples: dict[str, str] = field(default_factory=dict)
    http_calls: int = 0
    reporting: str = ""
    cases: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # patient -> (case, provider, link worker)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, counter: str, key: str, n: int = 1) -> None:
        with self.lock:
            getattr(self, counter)[key] += n

    def error(self, key: str, example: str) -> None:
        with self.lock:
            self.errors[key] += 1
            self.error_examples.setdefault(key, example)


class Api:
    """A thread-safe httpx client that counts calls and raises ApiError on 4xx/5xx."""

    def __init__(self, summary: Summary, timeout: float = 30.0):
        self.client = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=32))
        self.summary = summary

    def call(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        key: str | None = None,
        ok: tuple[int, ...] = (200, 201),
        **kwargs,
    ) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        for attempt in range(3):
            try:
                response = self.client.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError:
                if attempt == 2:
                    raise
                time.sleep(0.5 * (attempt + 1))
                continue
            with self.summary.lock:
                self.summary.http_calls += 1
            if response.status_code >= 500 and attempt < 2:
                time.sleep(0.5 * (attempt + 1))
                continue
            break
        if response.status_code not in ok:
            raise ApiError(response)
        return response

    def close(self) -> None:
        self.client.close()


def wait_ready(urls: list[str], deadline_seconds: float = 120.0) -> list[str]:
    """Poll each `<url>/ready` until 200 or the deadline; returns the ones that never became ready."""
    deadline = time.monotonic() + deadline_seconds
    pending = list(urls)
    while True:  # asks at least once
        still = []
        for url in pending:
            try:
                if httpx.get(f"{url}/ready", timeout=3).status_code == 200:
                    continue
            except httpx.HTTPError:
                pass
            still.append(url)
        pending = still
        if not pending or time.monotonic() >= deadline:
            return pending
        time.sleep(1)


# ------------------------------------------------------------------------------------ directory


def directory_catalogue(api: Api, directory_url: str) -> dict[str, list[str]]:
    """Linkage category -> ids of the directory's non-defunct services in it (active first), by
    the directory's taxonomy: a top-level term named like the category, and every term below it."""
    terms = _all_pages(api, f"{directory_url}/taxonomy_terms")
    by_category: dict[str, list[str]] = {}
    for term in terms:
        if term.get("parent_id"):
            continue
        category = category_of(term["name"])
        if category is None:
            continue
        services = _all_pages(api, f"{directory_url}/services", taxonomy_term_id=term["id"])
        usable = sorted(
            (s for s in services if s.get("status") != "defunct"),
            key=lambda s: (s.get("status") != "active", s["name"], s["id"]),
        )
        by_category[category] = [s["id"] for s in usable]
    return by_category


def category_of(term_name: str) -> str | None:
    """The docs/domain.md §4 linkage category a directory taxonomy term names ("Nhs services" -> nhs_services)."""
    category = "_".join("".join(ch if ch.isalnum() else " " for ch in term_name.lower()).split())
    return category if category in CATEGORIES else None


def _all_pages(api: Api, url: str, **params) -> list[dict]:
    out, page = [], 1
    while True:
        body = api.call("GET", url, params={**params, "page": page, "per_page": 200}).json()
        out += body.get("contents", [])
        if body.get("last_page", True) or body.get("empty", False):
            return out
        page += 1


# ------------------------------------------------------------------------------------- the load


class Loader:
    def __init__(self, plan: Plan, urls: Urls, options: Options, minter: TokenMinter, summary: Summary):
        self.plan, self.urls, self.options, self.minter, self.summary = plan, urls, options, minter, summary
        self.api = Api(summary)
        self.catalogue: dict[str, list[str]] = {}
        self.today = plan.today

    def key(self, patient: PatientPlan, step: str) -> str:
        return f"demo-{self.plan.seed}-{self.today.isoformat()}-{patient.index}-{step}"

    # -- one patient ------------------------------------------------------------------------------

    def patient(self, p: PatientPlan) -> None:
        try:
            created = self.api.call(
                "POST",
                f"{self.urls.referral}/referrals",
                json=p.referral_body(),
                token=self.minter.referrer(p.practice_ods_code),
                key=self.key(p, "referral"),
            ).json()
        except ApiError as e:
            self.summary.error(f"referral refused ({e.status_code})", str(e))
            return
        self.summary.add("counts", "referrals")
        if created["status"] == "accepted":
            created |= self._allocation(created["referral_id"])
        self.summary.add("referral_status", created["status"])
        if created["status"] != "allocated":
            return
        if p.decline_on is not None:
            self._decline(p, created)
            return
        if p.case is None:
            return
        lw = self.minter.link_worker(created["provider_id"], created["link_worker_id"])
        case_url = f"{self.urls.engagement}/cases/{created['referral_id']}"
        case = self._wait_for_case(case_url, lw)
        if case is None:
            self.summary.error("case never opened", f"{case_url} not opened within {self.options.case_open_timeout}s")
            self.summary.add("case_outcome", "case not opened")
            return
        self.summary.add("counts", "cases opened")
        with self.summary.lock:
            self.summary.cases[p.index] = (created["referral_id"], created["provider_id"], created["link_worker_id"])
        try:
            self._case_work(p, p.case, case_url, lw)
        except ApiError as e:
            self.summary.error(f"case work refused ({e.status_code})", str(e))
            self.summary.add("case_outcome", "stopped by a refusal")

    def _allocation(self, referral_id: str) -> dict[str, Any]:
        """A referral's real status and who holds it, as the platform's services read them: its practice
        is answered `accepted`, allocated or not, until first contact (docs/security.md §3.1)."""
        url = f"{self.urls.referral}/referrals/{referral_id}"
        seen = self.api.call("GET", url, token=self.minter.service()).json()
        return {name: seen[name] for name in ("status", "provider_id", "link_worker_id")}

    def _decline(self, p: PatientPlan, created: dict) -> None:
        """Declined after referral, before any contact, through the referral service (dated; the
        referral was allocated on its referral date). Engagement then discharges the case itself
        (`declined_further_support`, dated the decline)."""
        url = f"{self.urls.referral}/referrals/{created['referral_id']}/decline"
        body = {"reason": p.decline_reason, "declined_on": p.decline_on.isoformat()}
        try:
            self.api.call(
                "POST", url, json=body, token=self.minter.referrer(p.practice_ods_code), key=self.key(p, "decline")
            )
            self.summary.add("counts", "declines")
        except ApiError as e:
            self.summary.error(f"decline refused ({e.status_code})", str(e))

    def _make_linkage(self, url: str, body: dict[str, Any], token: str, key: str) -> dict[str, Any]:
        """Engagement knows directory services from its own copy, filled from Kafka: a service the
        directory has just published may not be there yet, so an "unknown directory service" refusal
        is asked again until the case-open deadline (any other refusal is final)."""
        deadline = time.monotonic() + self.options.case_open_timeout
        while True:
            try:
                return self.api.call("POST", url, json=body, token=token, key=key).json()
            except ApiError as refused:
                if refused.status_code != 422 or "unknown directory service" not in refused.text:
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _wait_for_case(self, case_url: str, token: str) -> dict | None:
        deadline = time.monotonic() + self.options.case_open_timeout
        delay = 0.1
        while time.monotonic() < deadline:
            r = self.api.call("GET", case_url, token=token, ok=(200, 404))
            if r.status_code == 200:
                return r.json()
            time.sleep(delay)
            delay = min(1.0, delay * 1.5)
        return None

    def _case_work(self, p: PatientPlan, case: CasePlan, url: str, lw: str) -> None:
        """The case's plan in time order, every step with its own business date (see CasePlan.timeline)."""
        stars: list[str] = []
        goal_ids: dict[int, str] = {}
        linkage_ids: dict[int, str] = {}
        attended_seen = False
        n = Counter()
        for when, kind, item in case.timeline():
            if kind == "contact":
                n["contact"] += 1
                body = {
                    "occurred_at": when.isoformat(),
                    "mode": item.mode,
                    "duration_minutes": item.duration_minutes,
                    "attended": item.attended,
                }
                if item.venue:
                    body["venue"] = item.venue
                self.api.call(
                    "POST", f"{url}/contacts", json=body, token=lw, key=self.key(p, f"contact-{n['contact']}")
                )
                self.summary.add("counts", "contacts" if item.attended else "did not attend")
                attended_seen = attended_seen or item.attended
            elif kind == "attempt":
                n["attempt"] += 1
                self.api.call(
                    "POST",
                    f"{url}/contact-attempts",
                    token=lw,
                    key=self.key(p, f"attempt-{n['attempt']}"),
                    json={"occurred_at": when.isoformat(), "note": "No answer; left a voicemail"},
                )
                self.summary.add("counts", "failed contact attempts")
            elif kind == "star":
                r = self.api.call(
                    "POST",
                    f"{url}/stars",
                    token=lw,
                    key=self.key(p, f"star-{len(stars)}"),
                    json={"taken_on": item.taken_on.isoformat(), "scores": item.scores},
                ).json()
                stars.append(r["star_id"])
                self.summary.add("counts", "baseline Stars" if r["kind"] == "baseline" else "review Stars")
            elif kind == "goal":
                i, goal = item
                body = {
                    "description": goal.description,
                    "star_areas": list(goal.star_areas),
                    "target_date": goal.target_date.isoformat(),
                    "agreed_on": goal.agreed_on.isoformat(),
                }
                made = self.api.call("POST", f"{url}/goals", json=body, token=lw, key=self.key(p, f"goal-{i}")).json()
                goal_ids[i] = made.get("goal_id") or made.get("id")
                self.summary.add("counts", "goals")
            elif kind == "goal change":
                i, j, status = item
                goal = case.goals[i]
                patch: dict[str, Any] = {"status": status, "on": when.date().isoformat()}
                if status == "revised":
                    patch["replacement"] = {
                        "description": f"{goal.description}, a step at a time",
                        "star_areas": list(goal.star_areas),
                        "target_date": goal.replacement_target.isoformat(),
                    }
                    patch["note"] = "Too much at once: broken into smaller steps"
                self.api.call(
                    "PATCH", f"{url}/goals/{goal_ids[i]}", json=patch, token=lw, key=self.key(p, f"goal-{i}-{j}")
                )
                if status in ("achieved", "abandoned", "revised"):
                    self.summary.add("counts", f"goals {status}")
            elif kind == "linkage":
                i, linkage = item
                services = self.catalogue.get(linkage.category) or []
                if not services:
                    self.summary.error("no directory service in category", linkage.category)
                    continue
                body = {
                    "service_id": services[linkage.pick % len(services)],
                    "category": linkage.category,
                    "made_on": linkage.made_on.isoformat(),
                }
                made = self._make_linkage(f"{url}/linkages", body, lw, self.key(p, f"linkage-{i}"))
                linkage_ids[i] = made.get("linkage_id") or made.get("id")
                self.summary.add("counts", "linkages")
            elif kind == "linkage change":
                i, j, status = item
                if i not in linkage_ids:  # no service in its category (counted above)
                    continue
                self.api.call(
                    "PATCH",
                    f"{url}/linkages/{linkage_ids[i]}",
                    token=lw,
                    key=self.key(p, f"linkage-{i}-{j}"),
                    json={"status": status, "on": when.date().isoformat()},
                )
                if j == len(case.linkages[i].changes) - 1:
                    self.summary.add("counts", f"linkages {status}")
            elif kind == "extension":
                body = {
                    "reason": item.reason,
                    "review_on": item.review_on.isoformat(),
                    "extended_on": item.extended_on.isoformat(),
                }
                self.api.call(
                    "POST",
                    f"{url}/extension",
                    json=body,
                    token=lw,
                    key=self.key(p, f"extension-{item.extended_on.isoformat()}"),
                )
                self.summary.add("counts", "extensions")
            elif kind == "star fix":
                self._star_fix(p, case, url, lw, stars, item)
            elif kind == "discharge":
                self.api.call(
                    "POST",
                    f"{url}/discharge",
                    json={"discharged_on": when.date().isoformat(), "reason": item},
                    token=lw,
                    key=self.key(p, "discharge"),
                )
                self.summary.add("counts", "discharges")
                self.summary.add("case_outcome", f"discharged: {item}")
        if case.discharge_on is None:
            outcome = (
                "unable to contact"
                if case.attempts and not case.contacts and len(case.attempts) >= 3
                else "open, engaged"
                if case.stars
                else "open, contacted"
                if attended_seen
                else "open, allocated"
            )
            self.summary.add("case_outcome", outcome)

    def _star_fix(self, p: PatientPlan, case: CasePlan, url: str, lw: str, stars: list[str], fix) -> None:
        """A late correction or void, dated when it was entered (possibly after the discharge)."""
        star_url = f"{url}/stars/{stars[fix.star_index]}"
        key = self.key(p, f"fix-{case.star_fixes.index(fix)}")
        if fix.kind == "correction":
            self.api.call(
                "POST",
                f"{star_url}/correction",
                token=lw,
                key=key,
                json={"scores": fix.scores, "reason": fix.reason, "corrected_on": fix.on.isoformat()},
            )
            self.summary.add("counts", "Star corrections")
        else:
            self.api.call(
                "POST",
                f"{star_url}/void",
                token=lw,
                key=key,
                json={"reason": fix.reason, "voided_on": fix.on.isoformat()},
            )
            self.summary.add("counts", "Star voids")

    # -- the commissioner's data -----------------------------------------------------------------

    def reporting_received(self) -> int | None:
        """Referrals the reporting service has projected so far (its funnel's `received`), or None."""
        try:
            r = self.api.call(
                "GET", f"{self.urls.reporting}/metrics/funnel", token=self.minter.token(self.options.reporting_role)
            )
        except (ApiError, httpx.HTTPError):
            return None
        return sum(int(row.get("received") or 0) for row in r.json().get("items", []))

    def commissioner_data(self, received_before: int | None, created: int) -> str:
        """Upload hospital activity and comparison costs (CSV bodies, docs/domain.md §6) to reporting, once it
        has seen this load's referrals: rows for NHS numbers it does not know yet would be dropped."""
        if wait_ready([self.urls.reporting], self.options.reporting_wait):
            return "reporting not reachable: skipped"
        token = self.minter.token(self.options.reporting_role)
        note = ""
        if received_before is not None:
            deadline = time.monotonic() + max(60.0, self.options.reporting_wait)
            while (self.reporting_received() or 0) < received_before + created and time.monotonic() < deadline:
                time.sleep(1)
            if (self.reporting_received() or 0) < received_before + created:
                note = " (reporting had not seen every referral yet: some rows may count as unknown)"
        out = []
        for path, text in (
            ("hospital-activity", self.plan.hospital_activity_csv()),
            ("comparison-costs", self.plan.comparison_costs_csv()),
        ):
            url = f"{self.urls.reporting}/commissioner/{path}"
            key = f"demo-{self.plan.seed}-{self.today.isoformat()}-{path}"
            try:
                answer = self.api.call(
                    "POST", url, token=token, key=key, content=text.encode(), headers={"Content-Type": "text/csv"}
                ).json()
            except ApiError as e:
                self.summary.error(f"{path} upload refused ({e.status_code})", str(e))
                out.append(f"{path} refused ({e.status_code})")
                continue
            facts = {k: v for k, v in answer.items() if k in ("rows_applied", "rows_unknown_nhs_number")}
            out.append(f"{path} {facts or 'accepted'}")
        return "; ".join(out) + note


def load(
    seed: int,
    patients: int,
    years: float,
    urls: Urls,
    options: Options,
    *,
    today: date | None = None,
    minter: TokenMinter | None = None,
) -> Summary:
    started = time.monotonic()
    summary = Summary()
    minter = minter or TokenMinter()
    probe = Api(summary)
    practices = probe.call("GET", f"{urls.referral}/practices", token=minter.token("operator")).json()
    practices = practices["items"] if isinstance(practices, dict) else practices
    codes = tuple(sorted(p["ods_code"] for p in practices if p.get("participating", True)))
    plan = build_plan(seed, patients, years, today=today or london_today(), practices=codes)
    loader = Loader(plan, urls, options, minter, summary)
    loader.catalogue = directory_catalogue(loader.api, urls.directory)
    ordered = sorted(plan.patients, key=lambda p: (p.referred_on, p.index))
    received_before = loader.reporting_received()
    bar = _progress(len(ordered), options.progress)
    with ThreadPoolExecutor(max_workers=options.workers) as pool:
        futures = [pool.submit(loader.patient, p) for p in ordered]
        for future in as_completed(futures):
            try:
                future.result()
            except Exception as e:  # noqa: BLE001 - one patient's failure is reported, the rest go on
                summary.error(f"unexpected {type(e).__name__}", str(e)[:300])
            bar.update(1)
    bar.close()
    summary.reporting = loader.commissioner_data(received_before, summary.counts["referrals"])
    summary.counts["hospital activity rows"] = sum(len(p.activity) for p in plan.patients)
    summary.counts["comparison cost quarters"] = len(plan.comparison_costs)
    summary.elapsed = time.monotonic() - started
    loader.api.close()
    probe.close()
    return summary


def london_today() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/London")).date()


def _progress(total: int, enabled: bool):
    if enabled:
        from tqdm import tqdm

        return tqdm(total=total, unit="patient", desc="loading demo")

    class _Quiet:
        def update(self, n: int) -> None: ...
        def close(self) -> None: ...

    return _Quiet()


def format_summary(summary: Summary, plan_line: str = "") -> str:
    lines = [f"demo load {plan_line}".rstrip(), f"  elapsed {summary.elapsed:.1f}s, {summary.http_calls} HTTP calls"]
    lines.append(
        "  referrals by status at intake: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.referral_status.items()))
    )
    if summary.case_outcome:
        lines.append("  cases: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.case_outcome.items())))
    lines.append("  recorded: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())))
    lines.append(f"  commissioner data: {summary.reporting}")
    if summary.errors:
        lines.append("  refusals:")
        for k, v in summary.errors.most_common():
            lines.append(f"    {v} x {k}; e.g. {summary.error_examples[k][:240]}")
    return "\n".join(lines)
