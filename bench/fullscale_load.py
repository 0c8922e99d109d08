"""Steady-rate `POST /referrals` load, run as its own process by bench/fullscale.py.

    python bench/fullscale_load.py URL RATE SECONDS SEED [WARMUP]   (prints one JSON line of results)

Open loop: request i is due at start + i / RATE whatever happened to the earlier ones; a pool of
threads (each with its own keep-alive httpx client) sends them. Latency is measured from the due time
(so a backlog shows up as latency rather than as a lower rate), and also from the actual send.
Bodies are demo-plan referrals of a seed of their own (new NHS numbers in the 999 test range), each
with a referrer token of its practice. Loopback only; bounded: RATE x (WARMUP + SECONDS) requests, no
retries. The first WARMUP seconds (default 0) run at the same rate but are reported apart: they pay for
the API's first connections to PostgreSQL and its first requests, which a running service has behind it.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import date
from queue import Empty, Queue

import httpx

from linkwell_demo.plan import build_plan
from linkwell_demo.tokens import TokenMinter

WORKERS = 16


def main() -> int:
    url, rate, seconds, seed = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    warmup = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("loopback only")
    warm = int(rate * warmup)
    total = warm + int(rate * seconds)
    plan = build_plan(seed, total, 1, today=date.today())
    minter = TokenMinter()
    requests = [(p.referral_body(), minter.referrer(p.practice_ods_code)) for p in plan.patients]
    due: Queue = Queue()
    results: list[tuple[float, float, int | str, bool]] = []  # (from due, from send, status or error, warm-up)
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(timeout=10.0) as client:
            while True:
                try:
                    item = due.get(timeout=1.0)
                except Empty:
                    if stop.is_set():
                        return
                    continue
                at, warming, (body, token) = item
                delay = at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                sent = time.perf_counter()
                try:
                    r = client.post(f"{url}/referrals", json=body, headers={"Authorization": f"Bearer {token}"})
                    outcome: int | str = r.status_code
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                done = time.perf_counter()
                with lock:
                    results.append((done - at, done - sent, outcome, warming))

    stop = threading.Event()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    start = time.perf_counter() + 0.2
    for i, request in enumerate(requests):  # feed each one just before it is due
        at = start + i / rate
        while at - time.perf_counter() > 0.05:
            time.sleep(0.01)
        due.put((at, i < warm, request))
    stop.set()
    for t in threads:
        t.join(timeout=30)
    elapsed = time.perf_counter() - start - warmup
    warm_results = [r for r in results if r[3]]
    results = [r for r in results if not r[3]]
    ok = sorted(r[0] for r in results if r[2] == 201)
    sends = sorted(r[1] for r in results if r[2] == 201)
    errors: dict[str, int] = {}
    for r in results:
        if r[2] != 201:
            errors[str(r[2])] = errors.get(str(r[2]), 0) + 1
    errors_total = sum(errors.values()) + (total - warm - len(results))
    warm_ok = sorted(r[0] for r in warm_results if r[2] == 201)
    print(
        json.dumps(
            {
                "requests": total - warm,
                "answered": len(results),
                "created": len(ok),
                "errors": errors_total,
                "error_kinds": errors,
                "seconds": round(elapsed, 2),
                "warmup_seconds": warmup,
                "warmup_requests": warm,
                "warmup_p99_ms": _pct(warm_ok, 99),
                "warmup_max_ms": round(warm_ok[-1] * 1000, 1) if warm_ok else None,
                "warmup_errors": warm - len(warm_ok),
                "achieved_rps": round(len(results) / elapsed, 1),
                "p50_ms": _pct(ok, 50),
                "p95_ms": _pct(ok, 95),
                "p99_ms": _pct(ok, 99),
                "max_ms": round(ok[-1] * 1000, 1) if ok else None,
                "p50_from_send_ms": _pct(sends, 50),
                "p99_from_send_ms": _pct(sends, 99),
            }
        )
    )
    return 0


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    k = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))  # nearest rank
    return round(values[k] * 1000, 2)


if __name__ == "__main__":
    sys.exit(main())
