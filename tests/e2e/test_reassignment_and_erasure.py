"""End to end: a case handed to a colleague in engagement moves the referral's caseload place (the
referral service follows `CaseReassigned`), and a patient's erasure in the referral service deletes
the free text engagement keeps for them while the case stays. Real processes, polled with deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from e2e_platform import get_ok, referral_body, token, with_allocation

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import wait_until

REFERRED_ON = date.today() - timedelta(days=30)


def test_a_reassigned_case_moves_the_caseload_place_and_erasure_deletes_the_patients_text(platform):
    platform.start(
        "referral-api",
        "referral-relay",
        "referral-consumer",
        "engagement-api",
        "engagement-relay",
        "engagement-consumer",
    )
    referral_api, engagement_api = platform.http["referral"], platform.http["engagement"]
    answer = referral_api.post(
        "/referrals",
        headers=token(Role.REFERRER, practice="A85001"),
        json=referral_body(REFERRED_ON, mental_health=["anxiety"]),
    )
    assert answer.status_code == 201, answer.text
    referral = with_allocation(referral_api, answer.json())
    case_id, provider_id, first_worker = referral["referral_id"], referral["provider_id"], referral["link_worker_id"]
    worker = token(Role.LINK_WORKER, provider_id=provider_id, link_worker_id=first_worker)
    manager = token(Role.PROVIDER_MANAGER, provider_id=provider_id)
    operator = token(Role.OPERATOR)
    wait_until(
        lambda: get_ok(engagement_api, f"/cases/{case_id}", headers=worker),
        timeout=60,
        what="the case to open in engagement",
    )
    met = engagement_api.post(
        f"/cases/{case_id}/contacts",
        headers=worker,
        json={
            "occurred_at": f"{REFERRED_ON + timedelta(days=2)}T10:00:00+00:00",
            "mode": "face_to_face",
            "duration_minutes": 45,
            "attended": True,
        },
    )
    assert met.status_code == 201, met.text
    goal = engagement_api.post(
        f"/cases/{case_id}/goals",
        headers=worker,
        json={
            "description": "Walk with my neighbour Mrs Patel to the Fenham allotments",
            "star_areas": ["lifestyle"],
            "agreed_on": (REFERRED_ON + timedelta(days=2)).isoformat(),
        },
    )
    assert goal.status_code == 201, goal.text

    def caseloads() -> dict[str, int]:
        workers = referral_api.get("/link-workers", params={"provider_id": provider_id}, headers=operator).json()
        return {w["link_worker_id"]: w["active_caseload"] for w in workers if w["active_caseload"]}

    assert caseloads() == {first_worker: 1}
    colleague = next(
        w["link_worker_id"]
        for w in referral_api.get("/link-workers", params={"provider_id": provider_id}, headers=operator).json()
        if w["link_worker_id"] != first_worker and w["active"]
    )

    def reassigned():  # 422 until engagement's copy of the link workers has the colleague
        moved = engagement_api.post(
            f"/cases/{case_id}/reassignment",
            headers=manager | {"Idempotency-Key": "move-1"},
            json={"link_worker_id": colleague, "reassigned_on": (REFERRED_ON + timedelta(days=5)).isoformat()},
        )
        return moved if moved.status_code == 201 else None

    wait_until(reassigned, timeout=60, what="the reassignment to be accepted")
    wait_until(lambda: caseloads() == {colleague: 1}, timeout=60, what="the caseload place to move to the colleague")
    shown = referral_api.get(f"/referrals/{case_id}", headers=operator).json()
    assert shown["link_worker_id"] == colleague

    # an open episode is not erased: the practice declines further support first, then the operator erases
    referrer = token(Role.REFERRER, practice="A85001")
    declined = referral_api.post(f"/referrals/{case_id}/decline", json={"reason": "other"}, headers=referrer)
    assert declined.status_code == 200, declined.text
    erased = referral_api.post(f"/patients/{shown['patient_id']}/erasure", headers=operator)  # the platform's id
    assert erased.status_code == 200, erased.text
    new_holder = token(Role.LINK_WORKER, provider_id=provider_id, link_worker_id=colleague)

    def goal_text():
        case = get_ok(engagement_api, f"/cases/{case_id}", headers=new_holder)
        return case is not None and [g["description"] for g in case.json()["goals"]] == [None] and case.json()

    case = wait_until(goal_text, timeout=60, what="engagement to delete the erased patient's text")
    assert case["link_worker_id"] == colleague
    identity = referral_api.get(f"/referrals/{case_id}", headers=token(Role.REFERRER, practice="A85001")).json()
    assert identity["patient"] == {"erased": True}
