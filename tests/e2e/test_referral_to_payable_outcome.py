"""End to end through HTTP and Kafka: a referral (referral service) becomes a case (engagement), its
Stars become a payable W line here (reporting), and a later correction removes it for later
`known_at` moments only. Real processes (uvicorn APIs, relays, faust consumers), fresh databases and
unique topics; polled with deadlines, never fixed sleeps.

Business dates are client-given: the referral is back-entered 200 days ago (the referral service
assesses and allocates it on its referral date), so 140 days fit between a baseline and a review
that are both in the past.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from e2e_platform import get_ok as _get_ok
from e2e_platform import referral_body, with_allocation
from e2e_platform import token as _token

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import wait_until

REFERRED_DAYS_AGO = 200
AREAS = (
    "lifestyle",
    "looking_after_yourself",
    "managing_symptoms",
    "work_volunteering",
    "money",
    "where_you_live",
    "family_and_friends",
    "feeling_positive",
)


def _scores(total: int) -> dict[str, int]:
    base, extra = divmod(total, 8)
    return {area: base + (1 if i < extra else 0) for i, area in enumerate(AREAS)}


def test_a_referral_becomes_a_payable_outcome_and_a_correction_changes_only_later_answers(platform):
    platform.start(
        "referral-api",
        "referral-relay",
        "engagement-api",
        "engagement-relay",
        "engagement-consumer",
        "reporting-api",
        "reporting-consumer",
    )
    _run_scenario(platform.http)


def _run_scenario(http: dict[str, httpx.Client]) -> None:
    referral_today = date.today() - timedelta(days=REFERRED_DAYS_AGO)
    referrer = _token(Role.REFERRER, practice="A85001")
    answer = http["referral"].post(
        "/referrals",
        headers=referrer | {"Idempotency-Key": "e2e-referral"},
        json=referral_body(referral_today, conditions=["type2_diabetes"], mental_health=[]),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "accepted", answer.text  # its practice is not told who holds it
    referral = with_allocation(http["referral"], answer.json())
    assert referral["status"] == "allocated", referral
    case_id, provider_id, worker_id = referral["referral_id"], referral["provider_id"], referral["link_worker_id"]
    worker = _token(Role.LINK_WORKER, provider_id=provider_id, link_worker_id=worker_id)

    wait_until(
        lambda: _get_ok(http["engagement"], f"/cases/{case_id}", headers=worker),
        timeout=30,
        what="the case to open in engagement",
    )
    contact_at = datetime.combine(referral_today + timedelta(days=5), datetime.min.time(), UTC) + timedelta(hours=10)
    answer = http["engagement"].post(
        f"/cases/{case_id}/contacts",
        headers=worker,
        json={"occurred_at": contact_at.isoformat(), "mode": "face_to_face", "duration_minutes": 45, "attended": True},
    )
    assert answer.status_code == 201, answer.text
    baseline_on = referral_today + timedelta(days=10)
    review_on = baseline_on + timedelta(days=150)
    for taken_on, total in ((baseline_on, 40), (review_on, 42)):
        answer = http["engagement"].post(
            f"/cases/{case_id}/stars", headers=worker, json={"taken_on": taken_on.isoformat(), "scores": _scores(total)}
        )
        assert answer.status_code == 201, answer.text
    review_star = answer.json()["star_id"]

    finance = _token(Role.FINANCE)

    def payable_lines(**params):
        answer = _get_ok(http["reporting"], "/outcomes/payable", params=params, headers=finance)
        return answer.json()["lines"] if answer is not None else None

    [line] = wait_until(payable_lines, timeout=30, what="the payable line in reporting")
    assert line["outcome_type"] == "W" and line["amount"] == 20000
    assert line["payer_shares"] == {"ccg": 14000, "cbo": 4000, "sof": 2000}
    # the platform's patient id, as the case has it (a referrer is shown its practice's own id)
    patient_id = http["engagement"].get(f"/cases/{case_id}", headers=worker).json()["patient_id"]
    assert line["patient_id"] == patient_id and line["achieved_on"] == review_on.isoformat()
    assert (line["provider_id"], line["link_worker_id"]) == (provider_id, worker_id)
    evidence = http["reporting"].get(f"/outcomes/{line['outcome_id']}/evidence", headers=finance).json()["evidence"]
    assert [item["id"] for item in evidence] == line["evidence"]
    assert {item["event_type"] for item in evidence} >= {"CaseOpened", "CaseEngaged", "WellbeingStarRecorded"}
    assert any(item["payload"].get("star_id") == review_star for item in evidence)

    before_correction = datetime.now(UTC)
    answer = http["engagement"].post(
        f"/cases/{case_id}/stars/{review_star}/correction",
        headers=worker,
        json={"scores": _scores(41), "reason": "entered one point too high"},
    )
    assert answer.status_code in (200, 201), answer.text
    wait_until(lambda: payable_lines() == [], timeout=30, what="the correction to reach reporting")
    after_correction = datetime.now(UTC)

    then = payable_lines(known_at=before_correction.isoformat())
    now = payable_lines(known_at=after_correction.isoformat())
    assert [(x["outcome_id"], x["amount"]) for x in then] == [(line["outcome_id"], 20000)]
    assert now == []
