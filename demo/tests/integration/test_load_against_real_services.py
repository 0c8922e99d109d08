"""A tiny demo loaded through the real APIs: referral, engagement and directory processes (API,
relay, consumer) on fresh databases and unique topics of a real broker; reporting is not started, so
its step must say it was skipped."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))

from demo_platform import running_platform

from linkwell_demo.load import Options, format_summary, load, london_today
from linkwell_demo.plan import build_plan
from linkwell_demo.tokens import TokenMinter

SEED, PATIENTS = 15, 6  # seed 15: ineligible, declined, discharged and open patients


def test_a_tiny_demo_loads_through_the_public_apis_with_its_history(kafka_bootstrap, postgres_url, topic_factory):
    with running_platform(kafka_bootstrap, postgres_url, topic_factory) as urls:
        summary = load(SEED, PATIENTS, 2, urls, Options(workers=3, case_open_timeout=90, progress=False))
        print(format_summary(summary))

        assert not summary.errors, format_summary(summary)
        assert summary.counts["referrals"] == PATIENTS
        assert summary.referral_status["ineligible"] >= 1 and summary.counts["declines"] >= 1
        assert summary.referral_status["allocated"] + summary.referral_status["ineligible"] == PATIENTS
        assert summary.reporting == "reporting not reachable: skipped"
        assert summary.counts["baseline Stars"] > 0 and summary.counts["linkages"] > 0

        # Read each case back as its link worker: the plan's dated history is there, as planned.
        plan = build_plan(SEED, PATIENTS, 2, today=london_today())
        minter = TokenMinter()
        assert summary.cases
        for index, (case_id, provider_id, link_worker_id) in summary.cases.items():
            planned = plan.patients[index].case
            token = minter.link_worker(provider_id, link_worker_id)
            case = httpx.get(f"{urls.engagement}/cases/{case_id}", headers={"Authorization": f"Bearer {token}"}).json()
            assert case["opened_on"] <= planned.timeline()[0][0].date().isoformat()
            assert len(case["contacts"]) == len(planned.contacts)
            assert [s["taken_on"] for s in case["stars"]] == [s.taken_on.isoformat() for s in planned.stars]
            assert (case["discharge"] is not None) == (planned.discharge_on is not None)
            if planned.discharge_on:  # on its planned (historical) date
                assert case["discharge"]["discharged_on"] == planned.discharge_on.isoformat()
            # Goals, their changes, linkages and theirs, extensions and late Star fixes: all on their dates.
            originals = [g for g in case["goals"] if not g["supersedes_goal_id"]]
            assert sorted(
                (g["agreed_on"], g["target_date"], [(h["to_status"], h["on"]) for h in g["history"]]) for g in originals
            ) == sorted(
                (g.agreed_on.isoformat(), g.target_date.isoformat(), [(st, on.isoformat()) for st, on in g.changes])
                for g in planned.goals
            )
            assert sorted(
                (k["made_on"], [(h["to_status"], h["on"]) for h in k["history"]]) for k in case["linkages"]
            ) == sorted(
                (k.made_on.isoformat(), [(st, on.isoformat()) for st, on in k.changes]) for k in planned.linkages
            )
            assert [(e["extended_on"], e["review_on"]) for e in case["extensions"]] == [
                (e.extended_on.isoformat(), e.review_on.isoformat()) for e in planned.extensions
            ]
            fixed = sorted(
                [c["corrected_on"] for s in case["stars"] for c in s["corrections"]]
                + [s["voided_on"] for s in case["stars"] if s["voided_on"]]
            )
            assert fixed == sorted(f.on.isoformat() for f in planned.star_fixes)

        operator = minter.token("operator")
        listed = httpx.get(
            f"{urls.referral}/referrals", params={"page_size": 50}, headers={"Authorization": f"Bearer {operator}"}
        ).json()
        assert listed["total"] == PATIENTS
