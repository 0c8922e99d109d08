"""End to end (issue 18, item 8): a referral from a participating practice that no provider serves
waits, eligible and unallocated, in the unserved queue; giving the practice a provider (a
`PracticeUpdated`) allocates it in the same transaction, and engagement opens its case from the
`ReferralAllocated` that travels on Kafka. Real processes, polled with deadlines."""

from __future__ import annotations

from datetime import date, timedelta

from e2e_platform import get_ok, referral_body, token

from linkwell_runtime.auth import Role
from linkwell_runtime.testing import wait_until
from referral.adapters.reference_seed import provider_id

REFERRED_ON = date.today() - timedelta(days=3)
UNSERVED = "A85030"


def test_a_referral_waits_for_its_practices_provider_then_its_case_opens(platform):
    platform.start("referral-api", "referral-relay", "engagement-api", "engagement-consumer")
    referral_api, engagement_api = platform.http["referral"], platform.http["engagement"]
    operator = token(Role.OPERATOR)
    practice = {"ods_code": UNSERVED, "name": "Benwell Grove Surgery", "participating": True}
    assert referral_api.post("/practices", json=practice, headers=operator).status_code == 201
    answer = referral_api.post(
        "/referrals",
        headers=token(Role.REFERRER, practice=UNSERVED),
        json=referral_body(REFERRED_ON, practice_ods_code=UNSERVED),
    )
    assert answer.status_code == 201, answer.text
    referral_id = answer.json()["referral_id"]
    assert (answer.json()["status"], answer.json()["provider_id"]) == ("accepted", None)
    waiting = referral_api.get("/referrals/unserved", headers=operator).json()
    assert [i["referral_id"] for i in waiting["items"]] == [referral_id]

    served_by = str(provider_id("HealthWORKS"))
    assigned = referral_api.patch(f"/practices/{UNSERVED}", json={"provider_id": served_by}, headers=operator)
    assert assigned.status_code == 200, assigned.text
    allocated = referral_api.get(f"/referrals/{referral_id}", headers=operator).json()
    assert (allocated["status"], allocated["provider_id"]) == ("allocated", served_by)
    assert referral_api.get("/referrals/unserved", headers=operator).json()["total"] == 0

    worker = token(Role.LINK_WORKER, provider_id=served_by, link_worker_id=allocated["link_worker_id"])
    case = wait_until(
        lambda: get_ok(engagement_api, f"/cases/{referral_id}", headers=worker),
        timeout=60,
        what="the case to open in engagement",
    ).json()
    assert (case["practice_ods_code"], case["opened_on"]) == (UNSERVED, date.today().isoformat())
