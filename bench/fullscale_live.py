"""A link workers' day at a steady rate, run as its own process by bench/fullscale.py while it asks
the ledger its questions: contacts and Stars over engagement's HTTP API, and the freshness of the
ledger (a review Star's HTTP 201 to its W line answering in reporting's API).

    python bench/fullscale_live.py PLAN.json      (prints "ready" once sending, then, after SIGTERM or
                                                   the plan's `seconds`, one JSON line of results)

PLAN.json: {"engagement": URL, "reporting": URL, "rate": requests/s, "seconds": at most,
"star_every": every n-th request is a review Star, "deadline": s a line may take,
"reviews": [[case_id, provider_id, link_worker_id, scores], ...] (cases whose review today completes
a W outcome: see fullscale.live_plan), "contacts": [[case_id, provider_id, link_worker_id], ...]}.

Open loop: request i is due at start + i / rate whatever happened to the earlier ones (a few sender
threads with keep-alive clients). After each review Star's 201 a poller asks
`GET /outcomes/{w_outcome_id}/evidence` every 20 ms until it answers 200 or the deadline passes:
the time from the 201 to that 200 is the freshness (relay -> Kafka -> reporting consumer -> its
materialised ledger -> the API). Loopback only, bounded by `seconds`.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from queue import Empty, Queue
from zoneinfo import ZoneInfo

import httpx

from linkwell_demo.tokens import TokenMinter
from reporting.domain.outcome import w_outcome_id

SENDERS = 4


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    for url in (plan["engagement"], plan["reporting"]):
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit("loopback only")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    minter = TokenMinter()
    finance = {"Authorization": f"Bearer {minter.token('finance')}"}
    reviews, contacts = list(plan["reviews"]), list(plan["contacts"])
    rate, every, deadline = float(plan["rate"]), int(plan["star_every"]), float(plan["deadline"])
    lock = threading.Lock()
    sent: dict[str, list] = {"star": [], "contact": []}  # (latency s, status)
    fresh: list[float] = []
    stale: list[str] = []  # review Stars whose line did not answer by the deadline
    pollers = ThreadPoolExecutor(max_workers=8)
    due: Queue = Queue()

    def poll(case_id: str, star_id: str, created: float) -> None:
        outcome = w_outcome_id(case_id, star_id)
        with httpx.Client(base_url=plan["reporting"], timeout=5, headers=finance) as client:
            while time.perf_counter() - created < deadline:
                if client.get(f"/outcomes/{outcome}/evidence").status_code == 200:
                    with lock:
                        fresh.append(time.perf_counter() - created)
                    return
                time.sleep(0.02)
        with lock:
            stale.append(str(outcome))

    def send(client: httpx.Client, kind: str, item: list) -> None:
        case_id, provider_id, link_worker_id = item[0], item[1], item[2]
        headers = {"Authorization": f"Bearer {minter.link_worker(provider_id, link_worker_id)}"}
        t = time.perf_counter()
        if kind == "star":
            today = datetime.now(ZoneInfo("Europe/London")).date()
            body = {"taken_on": today.isoformat(), "scores": item[3]}
            r = client.post(f"/cases/{case_id}/stars", json=body, headers=headers)
        else:
            body = {
                "occurred_at": datetime.now(UTC).isoformat(),
                "mode": "telephone",
                "duration_minutes": 20,
                "attended": True,
            }
            r = client.post(f"/cases/{case_id}/contacts", json=body, headers=headers)
        created = time.perf_counter()
        with lock:
            sent[kind].append((created - t, r.status_code))
        if kind == "star" and r.status_code == 201:
            pollers.submit(poll, case_id, r.json()["star_id"], created)

    def sender() -> None:
        with httpx.Client(base_url=plan["engagement"], timeout=10) as client:
            while True:
                try:
                    at, kind, item = due.get(timeout=0.5)
                except Empty:
                    if stop.is_set():
                        return
                    continue
                if (delay := at - time.perf_counter()) > 0:
                    time.sleep(delay)
                try:
                    send(client, kind, item)
                except httpx.HTTPError as exc:
                    with lock:
                        sent[kind].append((0.0, type(exc).__name__))

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    print("ready", flush=True)
    i = 0
    while not stop.is_set() and time.perf_counter() - start < float(plan["seconds"]):
        at = start + i / rate
        while at - time.perf_counter() > 0.05 and not stop.is_set():
            time.sleep(0.01)
        if i % every == 0 and reviews:
            due.put((at, "star", reviews.pop()))
        else:
            due.put((at, "contact", contacts[i % len(contacts)]))
        i += 1
    elapsed = time.perf_counter() - start
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    pollers.shutdown(wait=True)
    ok = {k: sorted(lat for lat, status in v if status == 201) for k, v in sent.items()}
    errors: dict[str, int] = {}
    for kind, results in sent.items():
        for _, status in results:
            if status != 201:
                errors[f"{kind} {status}"] = errors.get(f"{kind} {status}", 0) + 1
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "requests": sum(len(v) for v in sent.values()),
                "requests_per_s": round(sum(len(v) for v in sent.values()) / elapsed, 1),
                "stars_created": len(ok["star"]),
                "contacts_created": len(ok["contact"]),
                "errors": errors,
                "post_p50_ms": _pct(sorted(ok["star"] + ok["contact"]), 50),
                "post_p99_ms": _pct(sorted(ok["star"] + ok["contact"]), 99),
                "fresh_lines": len(fresh),
                "stale_lines": len(stale),
                "stale_examples": stale[:5],
                "freshness_p50_ms": _pct(sorted(fresh), 50),
                "freshness_p99_ms": _pct(sorted(fresh), 99),
                "freshness_max_ms": round(max(fresh) * 1000, 1) if fresh else None,
                "deadline_s": deadline,
            }
        ),
        flush=True,
    )
    return 0


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))  # nearest rank
    return round(values[k] * 1000, 2)


if __name__ == "__main__":
    sys.exit(main())
