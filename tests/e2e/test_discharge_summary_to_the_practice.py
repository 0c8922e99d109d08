"""End to end (issue 18 item 7): a discharge over HTTP in engagement reaches the referrer's practice as a
`DischargeSummaryIssued` on the practice topic, with the outcome detail only when the patient consented
to share outcomes with their GP, and no free text or identifiable field in it; the referral service's
consumer keeps it and the referrer of that practice (only) reads it (issue 19). Real processes (the
referral and engagement APIs, relays and consumers) on fresh databases and unique topics."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from e2e_platform import get_ok, referral_body, token, with_allocation

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.topics import read_whole_topic

REFERRED_ON = date.today() - timedelta(days=30)
GOAL_WORDS = "Walk with my neighbour Mrs Patel to the Fenham allotments"
SCORES = {
    "lifestyle": 3,
    "looking_after_yourself": 4,
    "managing_symptoms": 4,
    "work_volunteering": 2,
    "money": 3,
    "where_you_live": 5,
    "family_and_friends": 4,
    "feeling_positive": 3,
}


def _refer(referral_api, nhs_number: str) -> dict:
    answer = referral_api.post(
        "/referrals",
        headers=token(Role.REFERRER, practice="A85001"),
        json=referral_body(REFERRED_ON, nhs_number=nhs_number),
    )
    assert answer.status_code == 201, answer.text
    return with_allocation(referral_api, answer.json())


def _work_and_discharge(engagement_api, referral: dict, share: str | None) -> None:
    case_id = referral["referral_id"]
    worker = token(Role.LINK_WORKER, provider_id=referral["provider_id"], link_worker_id=referral["link_worker_id"])
    wait_until(lambda: get_ok(engagement_api, f"/cases/{case_id}", headers=worker), timeout=60, what="the case to open")
    day = REFERRED_ON + timedelta(days=2)
    steps = [
        ("contacts", {"occurred_at": f"{day}T10:00:00+00:00", "mode": "face_to_face", "duration_minutes": 45,
                      "attended": True}),
        ("stars", {"taken_on": day.isoformat(), "scores": SCORES}),
        ("goals", {"description": GOAL_WORDS, "star_areas": ["lifestyle"], "agreed_on": day.isoformat()}),
        ("stars", {"taken_on": (day + timedelta(days=20)).isoformat(), "scores": SCORES | {"money": 6}}),
    ]  # fmt: skip
    if share is not None:
        steps.append(("consents", {"consent": "share_outcomes_with_gp", "state": share, "on": day.isoformat()}))
    for path, body in steps:
        answer = engagement_api.post(f"/cases/{case_id}/{path}", headers=worker, json=body)
        assert answer.status_code == 201, (path, answer.text)
    discharged = engagement_api.post(
        f"/cases/{case_id}/discharge",
        headers=worker,
        json={"discharged_on": (day + timedelta(days=21)).isoformat(), "reason": "goals_met"},
    )
    assert discharged.status_code == 201, discharged.text


@pytest.mark.parametrize("share", ["given", None])
def test_a_discharge_reaches_the_practice_with_outcomes_only_by_consent(platform, kafka_bootstrap, share):
    platform.start(
        "referral-api",
        "referral-relay",
        "referral-consumer",
        "engagement-api",
        "engagement-relay",
        "engagement-consumer",
    )
    referral = _refer(platform.http["referral"], "943 476 5919")
    _work_and_discharge(platform.http["engagement"], referral, share)
    topic = platform.topics["PRACTICE_TOPIC"]

    def the_summary():
        records = read_whole_topic(kafka_bootstrap, topic)
        return records or None

    [record] = wait_until(the_summary, timeout=60, what="the discharge summary on the practice topic")
    raw = record.value.decode()
    message = json.loads(raw)
    assert (message["event_type"], message["producer"]) == ("DischargeSummaryIssued", "engagement")
    summary = message["payload"]
    assert (summary["referral_id"], summary["practice_ods_code"], summary["reason"]) == (
        referral["referral_id"],
        "A85001",
        "goals_met",
    )
    assert [c["code"] for c in summary["codes"]] == ["871731000000106"]
    assert summary["contacts_held"] == 1
    if share == "given":
        assert summary["outcomes_shared"] is True
        money = next(a for a in summary["wellbeing"]["areas"] if a["area"] == "money")
        assert (money["baseline"], money["latest"], money["change"]) == (3, 6, 3)
        assert [g["status"] for g in summary["goals"]] == ["agreed"]
    else:
        assert summary["outcomes_shared"] is False
        assert (summary["wellbeing"], summary["goals"], summary["services"]) == (None, [], [])
    for secret in (GOAL_WORDS, "Robson", "9434765919", "NE4 6QA", "0191", "patient_id"):
        assert secret not in raw  # no free text, no identity, not even the platform's patient id

    # the referral service keeps what the practice was sent: the referrer reads it beside the episode's summary
    referrer = token(Role.REFERRER, practice="A85001")
    path = f"/referrals/{referral['referral_id']}/discharge-summary"

    def read_by_the_referrer():
        answer = get_ok(platform.http["referral"], path, headers=referrer)
        return answer is not None and answer.json()["sent_to_practice"]

    sent = wait_until(read_by_the_referrer, timeout=60, what="the referrer to read the summary sent to the practice")
    assert {k: sent[k] for k in ("summary_id", "reason", "contacts_held", "outcomes_shared", "wellbeing", "goals")} == {
        k: summary[k] for k in ("summary_id", "reason", "contacts_held", "outcomes_shared", "wellbeing", "goals")
    }
    other_practice = token(Role.REFERRER, practice="A85002")
    assert platform.http["referral"].get(path, headers=other_practice).status_code == 404
