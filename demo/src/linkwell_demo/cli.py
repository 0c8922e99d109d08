"""`python -m linkwell_demo load|plan|tokens`: the demo programme's generator and loader."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from datetime import date, timedelta

import httpx

from linkwell_demo.load import Options, Urls, format_summary, load, wait_ready
from linkwell_demo.plan import build_plan
from linkwell_demo.tokens import TokenMinter


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m linkwell_demo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def sizing(p: argparse.ArgumentParser) -> None:
        p.add_argument("--seed", type=int, default=_env_int("DEMO_SEED", 7))
        p.add_argument("--patients", type=int, default=_env_int("DEMO_PATIENTS", 300))
        p.add_argument("--years", type=float, default=_env_float("DEMO_YEARS", 2))

    def urls(p: argparse.ArgumentParser) -> None:
        p.add_argument("--referral-url", default="http://127.0.0.1:8001")
        p.add_argument("--engagement-url", default="http://127.0.0.1:8002")
        p.add_argument("--directory-url", default="http://127.0.0.1:8003")
        p.add_argument("--reporting-url", default="http://127.0.0.1:8004")

    p_load = sub.add_parser("load", help="build the plan and load it through the public HTTP APIs")
    sizing(p_load)
    urls(p_load)
    p_load.add_argument("--workers", type=int, default=8, help="threads driving the APIs (default 8)")
    p_load.add_argument(
        "--reporting-role",
        default=os.environ.get("DEMO_REPORTING_ROLE", "finance"),
        help="role of the token for reporting's commissioner uploads (default finance)",
    )
    p_load.add_argument(
        "--case-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for engagement to open an allocated case (default 60)",
    )
    p_load.add_argument(
        "--wait-ready",
        type=float,
        default=0.0,
        help="first wait up to this many seconds for referral/engagement/directory /ready",
    )
    p_load.add_argument(
        "--reporting-wait",
        type=float,
        default=0.0,
        help="wait up to this many seconds for reporting's /ready before its uploads",
    )
    p_load.add_argument("--marker", help="write this file after a successful load; skip the load if it exists")
    p_load.add_argument("--no-progress", action="store_true")

    p_plan = sub.add_parser("plan", help="print the plan's figures (no HTTP)")
    sizing(p_plan)
    p_plan.add_argument("--today", type=date.fromisoformat, default=None)
    p_plan.add_argument("--csv", choices=["hospital-activity", "comparison-costs"], help="print that CSV instead")

    p_tokens = sub.add_parser("tokens", help="print development tokens for each role")
    urls(p_tokens)
    p_tokens.add_argument("--hours", type=float, default=8.0)
    p_tokens.add_argument(
        "--wait-ready", type=float, default=60.0, help="seconds to wait for the referral API (just started)"
    )

    args = parser.parse_args(argv)
    if args.command == "load":
        sys.exit(_load(args))
    if args.command == "plan":
        _plan(args)
    if args.command == "tokens":
        sys.exit(_tokens(args))


def _load(args) -> int:
    if args.marker and os.path.exists(args.marker):
        print(f"demo data already loaded ({args.marker}; delete it to load again)")
        return 0
    u = Urls(
        args.referral_url.rstrip("/"),
        args.engagement_url.rstrip("/"),
        args.directory_url.rstrip("/"),
        args.reporting_url.rstrip("/"),
    )
    if args.wait_ready:
        missing = wait_ready([u.referral, u.engagement, u.directory], args.wait_ready)
        if missing:
            print(f"not ready after {args.wait_ready:.0f}s: {', '.join(missing)}", file=sys.stderr)
            return 1
    options = Options(
        workers=args.workers,
        case_open_timeout=args.case_timeout,
        reporting_role=args.reporting_role,
        progress=not args.no_progress,
        reporting_wait=args.reporting_wait,
    )
    summary = load(args.seed, args.patients, args.years, u, options)
    print(format_summary(summary, f"(seed {args.seed}, {args.patients} patients, {args.years:g} years)"))
    loaded = summary.counts["referrals"]
    complete = loaded == args.patients
    if args.marker and complete:
        os.makedirs(os.path.dirname(os.path.abspath(args.marker)), exist_ok=True)
        with open(args.marker, "w") as f:
            f.write(
                json.dumps(
                    {
                        "seed": args.seed,
                        "patients": args.patients,
                        "years": args.years,
                        "loaded_on": date.today().isoformat(),
                        "http_calls": summary.http_calls,
                        "refusals": dict(summary.errors),
                        "reporting": summary.reporting,
                    }
                )
                + "\n"
            )
        if summary.errors:
            print(
                f"marker written ({args.marker}) although some records were refused (above); delete it and"
                " reset the databases to load again"
            )
    return 0 if complete else 1


def _plan(args) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    today = args.today or datetime.now(ZoneInfo("Europe/London")).date()
    plan = build_plan(args.seed, args.patients, args.years, today=today)
    if args.csv:
        print(plan.hospital_activity_csv() if args.csv == "hospital-activity" else plan.comparison_costs_csv(), end="")
        return
    ps = plan.patients
    cases = [p.case for p in ps if p.case]
    engaged = [c for c in cases if c.stars]
    print(f"plan: seed {plan.seed}, {len(ps)} patients, {plan.start} .. {today - timedelta(days=1)}")
    print("  expected:", dict(Counter(p.expected for p in ps)))
    print(
        f"  women {sum(p.sex == 'female' for p in ps)}, mean age {sum(p.age_on(p.referred_on) for p in ps) / max(1, len(ps)):.1f}"
    )
    print(
        f"  contacts {sum(len(c.contacts) for c in cases)} (DNA {sum(not x.attended for c in cases for x in c.contacts)}),"
        f" Stars {sum(len(c.stars) for c in cases)}, goals {sum(len(c.goals) for c in cases)},"
        f" linkages {sum(len(c.linkages) for c in cases)} ({sum(len(c.linkages) for c in engaged) / max(1, len(engaged)):.2f}"
        f" per engaged patient), extensions {sum(len(c.extensions) for c in cases)},"
        f" discharges {dict(Counter(c.discharge_reason for c in cases if c.discharge_on))}"
    )
    print(
        f"  hospital activity rows {sum(len(p.activity) for p in ps)}, comparison-cost quarters {len(plan.comparison_costs)}"
    )


def _tokens(args) -> int:
    """One token per role, scoped to real reference data: the link worker with the biggest caseload,
    their provider's manager, and a practice that provider serves."""
    minter = TokenMinter(ttl=timedelta(hours=args.hours))
    headers = {"Authorization": f"Bearer {minter.token('operator')}"}
    wait_ready([args.referral_url], args.wait_ready)  # `make up` asks right after starting it
    try:
        practices = httpx.get(f"{args.referral_url}/practices", headers=headers, timeout=5).json()
        workers = httpx.get(f"{args.referral_url}/link-workers", headers=headers, timeout=5).json()
    except (httpx.HTTPError, ValueError) as e:
        print(f"referral API not reachable at {args.referral_url}: {e}", file=sys.stderr)
        return 1
    if not workers or not practices:
        print("the referral service has no link workers or practices yet", file=sys.stderr)
        return 1
    worker = sorted(workers, key=lambda w: (-int(w.get("active_caseload") or 0), str(w["link_worker_id"])))[0]
    provider = str(worker["provider_id"])
    served = sorted((p for p in practices if str(p.get("provider_id")) == provider), key=lambda p: p["ods_code"])
    practice = (served or sorted(practices, key=lambda p: p["ods_code"]))[0]["ods_code"]
    rows = [
        (f"referrer (practice {practice})", minter.referrer(practice)),
        (
            f"link_worker ({worker.get('display_name', '')}, link_worker_id {worker['link_worker_id']},"
            f" caseload {worker.get('active_caseload')})",
            minter.link_worker(provider, str(worker["link_worker_id"])),
        ),
        (f"provider_manager (provider_id {provider})", minter.token("provider_manager", provider_id=provider)),
        ("finance", minter.token("finance")),
        ("operator", minter.token("operator")),
    ]
    print(f"development tokens (valid {args.hours:g} h; send as 'Authorization: Bearer <token>'):")
    for name, token in rows:
        print(f"  {name}:\n    {token}")
    return 0
