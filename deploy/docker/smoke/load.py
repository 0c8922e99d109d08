"""Load for the container smoke tests, and the proof that nothing was lost or doubled.

Run inside linkwell/python on the host network against a running platform (docker-compose.yml, or
with docker-compose.cluster.yml) while the caller crashes containers or stops a broker:

    python load.py --referrals 30 --workers 4

Each referral is posted over HTTP (201, allocated), its case awaited in engagement (through Kafka),
then a contact and two Well-being Stars (a baseline of 40 and a review of 42 150 days later, so a
payable W line) are posted. Every write carries an Idempotency-Key and is retried with the same key
when the API does not answer, so a retry never writes twice. `load: N/M referrals done` is printed
after each one (the callers wait for these lines before they crash something).

Then, with a deadline, the proof:
- every event the referral and engagement services stored for these referrals (their `events`
  tables: what was accepted) is a fact in reporting, once, and reporting has no other fact for them;
- reporting keeps exactly two Stars per case and the payable ledger exactly one W line of 20000
  pence per patient;
- the engagement service stored exactly one case, one contact and two Stars per referral.
Exit 0 when all holds; otherwise 1, saying what is missing or doubled.

Settings: REFERRAL_URL, ENGAGEMENT_URL, REPORTING_URL (default the compose ports), JWT_SECRET, and
REFERRAL_DATABASE_URL, ENGAGEMENT_DATABASE_URL, REPORTING_DATABASE_URL (default each service's
service role on 127.0.0.1:$PG_PORT) for the read-only checks, their passwords in
<SERVICE>_DATABASE_PASSWORD_FILE (default /run/secrets/pg/<service>.password: the smoke scripts mount
the files `deploy/bin/compose secrets` generated).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import psycopg2

from linkwell_runtime.auth import ALL_AUDIENCES, Principal, Role, mint_token
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET, with_password_from

SECRET = os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET)
PG_PORT = os.environ.get("PG_PORT", "25432")
URLS = {
    name: os.environ.get(f"{name.upper()}_URL", f"http://127.0.0.1:{port}")
    for name, port in (("referral", 8001), ("engagement", 8002), ("reporting", 8004))
}


def database_url(name: str) -> str:
    """The service's database as its service role (reads suffice), the password from its file."""
    url = os.environ.get(
        f"{name.upper()}_DATABASE_URL", f"postgresql://linkwell_{name}@127.0.0.1:{PG_PORT}/linkwell_{name}"
    )
    password_file = os.environ.get(f"{name.upper()}_DATABASE_PASSWORD_FILE", f"/run/secrets/pg/{name}.password")
    return with_password_from(url, password_file) if os.path.exists(password_file) else url


DATABASES = {name: database_url(name) for name in ("referral", "engagement", "reporting")}
AREAS = ("lifestyle", "looking_after_yourself", "managing_symptoms", "work_volunteering", "money",
         "where_you_live", "family_and_friends", "feeling_positive")  # fmt: skip
PRACTICES = ("A85001",)


def log(message: str) -> None:
    print(f"load: {message}", flush=True)


def token(role: Role, **scope: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {mint_token(Principal(sub=f'load-{role}', role=role, **scope), SECRET, audience=ALL_AUDIENCES)}"
    }


def scores(total: int) -> dict[str, int]:
    base, extra = divmod(total, 8)
    return {area: base + (1 if i < extra else 0) for i, area in enumerate(AREAS)}


def nhs_number(rng: random.Random) -> str:
    """A valid (mod 11) NHS number in the 9xx test range."""
    while True:
        digits = [9] + [rng.randrange(10) for _ in range(8)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


class Load:
    def __init__(self, referrals: int, deadline_seconds: float) -> None:
        self.total = referrals
        self.deadline_seconds = deadline_seconds
        self.http = {name: httpx.Client(base_url=url, timeout=30) for name, url in URLS.items()}
        self.rng = random.Random()
        self.lock = threading.Lock()
        self.done: list[dict[str, str]] = []
        self.writes = 0
        self.retries = 0
        self.longest_case_wait = 0.0  # referral accepted -> its case in engagement, through Kafka

    def write(self, service: str, path: str, body: dict[str, Any], headers: dict[str, str], key: str) -> httpx.Response:
        """POST with an Idempotency-Key; retried with the same key while the API does not answer (or
        answers 5xx), so the write happens once whatever the retries."""
        deadline = time.monotonic() + self.deadline_seconds
        while True:
            try:
                answer = self.http[service].post(path, json=body, headers=headers | {"Idempotency-Key": key})
                if answer.status_code < 500:
                    with self.lock:
                        self.writes += answer.status_code < 300
                    return answer
                why = f"{answer.status_code}"
            except httpx.TransportError as exc:
                why = type(exc).__name__
            if time.monotonic() > deadline:
                raise SystemExit(f"load: {service} {path} did not answer for {self.deadline_seconds:.0f}s ({why})")
            with self.lock:
                self.retries += 1
            time.sleep(0.5)

    def wait_for(self, what: str, probe: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.deadline_seconds
        while time.monotonic() < deadline:
            try:
                found = probe()
            except httpx.TransportError:
                found = None
            if found:
                return found
            time.sleep(0.3)
        raise SystemExit(f"load: timed out after {self.deadline_seconds:.0f}s waiting for {what}")

    def one_referral(self, i: int) -> None:
        referred_on = date.today() - timedelta(days=200)
        with self.lock:
            nhs = nhs_number(self.rng)
        practice = PRACTICES[i % len(PRACTICES)]
        body = {
            "nhs_number": nhs,
            "given_name": "Load",
            "family_name": f"Patient {i}",
            "date_of_birth": "1965-03-14",
            "sex": "female",
            "postcode": "NE4 6QA",
            "phone": "0191 496 0000",
            "practice_ods_code": practice,
            "referrer": {"name": "Dr A Khan", "role": "gp"},
            "conditions": ["type2_diabetes"],
            "mental_health": [],
            "referred_on": referred_on.isoformat(),
        }
        answer = self.write("referral", "/referrals", body, token(Role.REFERRER, practice=practice), str(uuid.uuid4()))
        # a practice is told "accepted" (held or allocated alike); the operator's view says which
        if answer.status_code != 201 or answer.json().get("status") != "accepted":
            raise SystemExit(f"load: referral {i} answered {answer.status_code}: {answer.text[:300]}")
        referral = answer.json()
        case_id = referral["referral_id"]
        # A referrer is shown its practice's own id for the patient; the ledger uses the platform's,
        # which an operator sees (without identity).
        seen = self.http["referral"].get(f"/referrals/{case_id}", headers=token(Role.OPERATOR))
        if seen.status_code != 200:
            raise SystemExit(
                f"load: GET /referrals/{case_id} as operator answered {seen.status_code}: {seen.text[:300]}"
            )
        patient_id, held_by = seen.json()["patient_id"], seen.json()
        if held_by["status"] != "allocated":
            raise SystemExit(f"load: referral {i} is {held_by['status']} to the operator, not allocated")
        worker = token(Role.LINK_WORKER, provider_id=held_by["provider_id"], link_worker_id=held_by["link_worker_id"])
        accepted_at = time.monotonic()
        self.wait_for(
            f"case {case_id} in engagement",
            lambda: self.http["engagement"].get(f"/cases/{case_id}", headers=worker).status_code == 200,
        )
        with self.lock:
            self.longest_case_wait = max(self.longest_case_wait, time.monotonic() - accepted_at)
        contact_at = datetime.combine(referred_on + timedelta(days=5), datetime.min.time(), UTC) + timedelta(hours=10)
        contact = {"occurred_at": contact_at.isoformat(), "mode": "face_to_face", "duration_minutes": 45}
        answer = self.write(
            "engagement", f"/cases/{case_id}/contacts", contact | {"attended": True}, worker, str(uuid.uuid4())
        )
        if answer.status_code != 201:
            raise SystemExit(f"load: contact for {case_id} answered {answer.status_code}: {answer.text[:300]}")
        baseline_on = referred_on + timedelta(days=10)
        for taken_on, total in ((baseline_on, 40), (baseline_on + timedelta(days=150), 42)):
            star = {"taken_on": taken_on.isoformat(), "scores": scores(total)}
            answer = self.write("engagement", f"/cases/{case_id}/stars", star, worker, str(uuid.uuid4()))
            if answer.status_code != 201:
                raise SystemExit(f"load: Star for {case_id} answered {answer.status_code}: {answer.text[:300]}")
        with self.lock:
            self.done.append({"referral_id": case_id, "patient_id": patient_id})
            log(f"{len(self.done)}/{self.total} referrals done")

    def run(self, workers: int) -> None:
        with ThreadPoolExecutor(workers) as pool:
            for future in [pool.submit(self.one_referral, i) for i in range(self.total)]:
                future.result()


def query(name: str, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with psycopg2.connect(DATABASES[name], connect_timeout=5) as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        rows = cur.fetchall()
    conn.close()
    return rows


def prove(load: Load) -> list[str]:
    """What is wrong (missing or doubled) once reporting has caught up; [] when nothing is."""
    cases = [d["referral_id"] for d in load.done]
    patients = {d["patient_id"] for d in load.done}
    ids = cases + sorted(patients)
    accepted: dict[str, str] = {}
    for service in ("referral", "engagement"):
        for event_id, event_type in query(
            service, "SELECT event_id::text, event_type FROM events WHERE aggregate_id = ANY(%s)", ids
        ):
            accepted[event_id] = event_type
    facts = [row[0] for row in query("reporting", "SELECT event_id::text FROM facts WHERE case_id = ANY(%s)", ids)]
    problems = []
    missing = set(accepted) - set(facts)
    extra = set(facts) - set(accepted)
    doubled = [e for e, n in collections.Counter(facts).items() if n > 1]
    if missing:
        kinds = collections.Counter(accepted[e] for e in missing)
        problems.append(f"{len(missing)} accepted events not in reporting ({dict(kinds)})")
    if extra:
        problems.append(f"{len(extra)} facts in reporting that no service accepted")
    if doubled:
        problems.append(f"{len(doubled)} facts twice in reporting")
    engagement = collections.Counter(
        (case, event_type)
        for case, event_type in query(
            "engagement", "SELECT aggregate_id, event_type FROM events WHERE aggregate_id = ANY(%s)", cases
        )
    )
    for case in cases:
        counts = {t: n for (c, t), n in engagement.items() if c == case}
        if (counts.get("CaseOpened"), counts.get("ContactRecorded"), counts.get("WellbeingStarRecorded")) != (1, 1, 2):
            problems.append(f"engagement stored {counts} for case {case} (one case, one contact, two Stars expected)")
    stars = collections.Counter(
        row[0]
        for row in query(
            "reporting", "SELECT case_id::text FROM stars WHERE case_id::text = ANY(%s) AND NOT voided", cases
        )
    )
    wrong_stars = {c: stars.get(c, 0) for c in cases if stars.get(c, 0) != 2}
    if wrong_stars:
        problems.append(
            f"{len(wrong_stars)} cases without exactly 2 Stars in reporting: {list(wrong_stars.items())[:3]}"
        )
    lines: collections.Counter[tuple[str, str, int]] = collections.Counter()
    for patient in sorted(patients):
        # one patient's lines (`search`; a reporting API without it answers every line: filtered here)
        answer = load.http["reporting"].get(
            "/outcomes/payable", params={"search": patient, "limit": 1000}, headers=token(Role.FINANCE)
        )
        if answer.status_code != 200:
            return [*problems, f"GET /outcomes/payable answered {answer.status_code}"]
        lines.update(
            (x["patient_id"], x["outcome_type"], x["amount"])
            for x in answer.json()["lines"]
            if x["patient_id"] == patient
        )
    wrong_lines = [
        p for p in patients if lines.get((p, "W", 20000)) != 1 or sum(n for k, n in lines.items() if k[0] == p) != 1
    ]
    if wrong_lines:
        problems.append(f"{len(wrong_lines)} patients without exactly one W line of 20000 pence")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--referrals", type=int, default=30)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--deadline", type=float, default=180.0, help="seconds any one step may wait")
    args = ap.parse_args()
    load = Load(args.referrals, args.deadline)
    started = time.monotonic()
    load.run(args.workers)
    took = time.monotonic() - started
    log(
        f"{len(load.done)} referrals, {load.writes} writes accepted in {took:.0f}s ({load.retries} retried); "
        f"the longest wait for a case to open in engagement: {load.longest_case_wait:.1f}s"
    )
    deadline = time.monotonic() + args.deadline
    while True:
        try:
            problems = prove(load)
        except (psycopg2.Error, httpx.TransportError) as exc:
            problems = [f"could not check: {exc}"]
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(1)
    if problems:
        for problem in problems:
            log(f"FAILED: {problem}")
        return 1
    facts = query(
        "reporting",
        "SELECT count(*) FROM facts WHERE case_id = ANY(%s)",
        [d["referral_id"] for d in load.done] + [d["patient_id"] for d in load.done],
    )[0][0]
    log(
        f"nothing lost, nothing doubled: {facts} accepted events = {facts} facts in reporting, "
        f"{2 * len(load.done)} Stars, {len(load.done)} W lines of 20000 pence "
        f"(caught up {time.monotonic() - started - took:.0f}s after the last write)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
