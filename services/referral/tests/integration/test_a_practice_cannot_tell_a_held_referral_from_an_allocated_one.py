"""A practice cannot tell a referral held behind another practice's open episode from one allocated at
once (issue 15 item 1, docs/security.md §3.1): both are `accepted` in every answer it gets until first
contact, nothing else in them differs but what the practice itself sent, its list filter cannot
separate them, and a withdrawal or decline of either looks the same. Link workers, managers and
operators still see the real statuses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from referral_testkit import OTHER_PRACTICE, PRACTICE, VALID_NHS, referral_body, with_allocation
from test_referral_lifecycle import TODAY, contacted, deliver

from contracts.codec import encode
from contracts.practice import SNOMED_DISPLAY, CodedConcept, DischargeSummaryIssued, SnomedConcept, discharge_summary_id
from referral.adapters.reference_seed import provider_id
from referral.service_layer.practice_summaries import apply_followed_event

FIRST_CONTACT = provider_id("First Contact Clinical")  # serves OTHER_PRACTICE
REFERRED_ON = "2024-06-03"


def _refer(client, token, practice: str, nhs: str) -> dict:
    body = referral_body(nhs_number=nhs, practice_ods_code=practice, referred_on=REFERRED_ON)
    answer = client.post("/referrals", json=body, headers=token("referrer", practice=practice))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _held_and_allocated(client, token) -> tuple[dict, dict]:
    """Two referrals from one practice: the first held behind the patient's open episode from another
    practice, the second (another patient) allocated at once; as the practice was answered."""
    _refer(client, token, PRACTICE, VALID_NHS[0])  # the patient's open episode elsewhere
    held = _refer(client, token, OTHER_PRACTICE, VALID_NHS[0])
    allocated = _refer(client, token, OTHER_PRACTICE, VALID_NHS[1])
    real = [with_allocation(client, token, r) for r in (held, allocated)]
    assert [(r["status"], r["provider_id"]) for r in real] == [("eligible", None), ("allocated", str(FIRST_CONTACT))]
    return held, allocated


def _practice(token):
    return token("referrer", practice=OTHER_PRACTICE)


def _own_left_out(answer: dict) -> dict:
    """An answer less what the practice itself tells apart: the referral's and patient's ids and the
    patient's NHS number (the two referrals are of two people with the same other details)."""
    kept = {k: v for k, v in answer.items() if k not in ("referral_id", "patient_id")}
    if isinstance(kept.get("patient"), dict):
        kept["patient"] = {k: v for k, v in kept["patient"].items() if k != "nhs_number"}
    if isinstance(kept.get("discharge_summary"), dict):
        kept["discharge_summary"] = _own_left_out(kept["discharge_summary"])
    return kept


def _seen_alike(client, token, held: dict, allocated: dict) -> dict:
    """The practice's GET and list answers of the two, checked identical; the GET answer returned."""
    views = [client.get(f"/referrals/{r['referral_id']}", headers=_practice(token)).json() for r in (held, allocated)]
    assert _own_left_out(views[0]) == _own_left_out(views[1])
    items = client.get("/referrals", headers=_practice(token)).json()["items"]
    by_id = {i["referral_id"]: i for i in items}
    assert _own_left_out(by_id[held["referral_id"]]) == _own_left_out(by_id[allocated["referral_id"]])
    return views[0]


def test_a_held_referral_and_one_allocated_at_once_look_the_same_to_their_practice(client, token):
    held, allocated = _held_and_allocated(client, token)

    assert _own_left_out(held) == _own_left_out(allocated)  # the POST answers
    assert (held["status"], held["provider_id"], held["link_worker_id"]) == ("accepted", None, None)
    view = _seen_alike(client, token, held, allocated)
    assert (view["status"], view["status_since"], view["provider_id"], view["link_worker_id"]) == (
        "accepted",
        REFERRED_ON,  # the assessment date
        None,
        None,
    )

    # the list filter cannot separate them: `accepted` lists both, the real statuses are refused
    accepted = client.get("/referrals", params={"status": "accepted"}, headers=_practice(token)).json()
    assert [i["referral_id"] for i in accepted["items"]] == [held["referral_id"], allocated["referral_id"]]
    for status in ("eligible", "allocated"):
        refused = client.get("/referrals", params={"status": status}, headers=_practice(token))
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["loc"] == ["query", "status"] and "status=accepted" in error["msg"]

    # everyone else sees the real statuses, and `accepted` means nothing to them
    operator = token("operator")
    assert client.get(f"/referrals/{held['referral_id']}", headers=operator).json()["status"] == "eligible"
    manager = token("provider_manager", provider_id=str(FIRST_CONTACT))
    queue = client.get("/referrals", params={"status": "eligible"}, headers=manager).json()
    assert [i["referral_id"] for i in queue["items"]] == [held["referral_id"]]
    worker_id = with_allocation(client, token, allocated)["link_worker_id"]
    worker = token("link_worker", provider_id=str(FIRST_CONTACT), link_worker_id=worker_id)
    mine = client.get(f"/referrals/{allocated['referral_id']}", headers=worker).json()
    assert (mine["status"], mine["link_worker_id"]) == ("allocated", worker_id)
    refused = client.get("/referrals", params={"status": "accepted"}, headers=manager)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["query", "status"]


def test_once_the_held_one_is_allocated_later_its_practice_still_sees_the_assessment_date(client, token):
    held, allocated = _held_and_allocated(client, token)
    first = client.get("/referrals", params={"practice": PRACTICE}, headers=token()).json()["items"][0]
    ended = client.post(f"/referrals/{first['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert ended.status_code == 200, ended.text

    real = client.get(f"/referrals/{held['referral_id']}", headers=token("operator")).json()
    assert (real["status"], real["status_since"]) == ("allocated", str(TODAY))  # allocated today, not on referral
    view = _seen_alike(client, token, held, allocated)
    assert (view["status"], view["status_since"]) == ("accepted", REFERRED_ON)


@pytest.mark.parametrize("ending", ["withdrawal", "decline"])
def test_withdrawn_or_declined_while_held_or_allocated_they_end_alike(client, token, ending):
    held, allocated = _held_and_allocated(client, token)
    body = {"reason": "duplicate"} if ending == "withdrawal" else {"reason": "not_the_right_time"}
    answers = [
        client.post(f"/referrals/{r['referral_id']}/{ending}", json=body, headers=_practice(token))
        for r in (held, allocated)
    ]
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    assert _own_left_out(answers[0].json()) == _own_left_out(answers[1].json())
    assert answers[0].json()["link_worker_id"] is None

    if ending == "decline":  # engagement sends the practice a summary of the allocated one's closed case
        _summary_sent_for(client, with_allocation(client, token, allocated))
    view = _seen_alike(client, token, held, allocated)
    assert view["status"] == ("withdrawn" if ending == "withdrawal" else "declined")
    summaries = [
        client.get(f"/referrals/{r['referral_id']}/discharge-summary", headers=_practice(token))
        for r in (held, allocated)
    ]
    assert [s.status_code for s in summaries] == ([404, 404] if ending == "withdrawal" else [200, 200])
    assert _own_left_out(summaries[0].json()) == _own_left_out(summaries[1].json())
    if ending == "decline":
        manager = token("provider_manager", provider_id=str(FIRST_CONTACT))
        kept = client.get(f"/referrals/{allocated['referral_id']}/discharge-summary", headers=manager).json()
        assert kept["link_worker_id"] is not None and kept["sent_to_practice"] is not None


def test_after_first_contact_the_practice_sees_the_real_status_and_who_holds_it(client, token, settings):
    _, allocated = _held_and_allocated(client, token)
    real = with_allocation(client, token, allocated)
    deliver(client, settings, contacted(real))
    view = client.get(f"/referrals/{allocated['referral_id']}", headers=_practice(token)).json()
    assert (view["status"], view["status_since"]) == ("contacted", str(TODAY))
    assert (view["provider_id"], view["link_worker_id"]) == (real["provider_id"], real["link_worker_id"])
    listed = client.get("/referrals", params={"status": "contacted"}, headers=_practice(token)).json()
    assert [i["referral_id"] for i in listed["items"]] == [allocated["referral_id"]]


def _summary_sent_for(client, referral: dict) -> None:
    """The summary engagement sends the practice when it closes a declined referral's case."""
    case_id = uuid.UUID(referral["referral_id"])
    payload = DischargeSummaryIssued(
        summary_id=discharge_summary_id(case_id),
        referral_id=case_id,
        practice_ods_code=OTHER_PRACTICE,
        provider_id=uuid.UUID(referral["provider_id"]),
        link_worker_id=uuid.UUID(referral["link_worker_id"]),
        codes=(
            CodedConcept(
                code=SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING,
                display=SNOMED_DISPLAY[SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING],
            ),
        ),
        reason="declined_further_support",
        opened_on=TODAY,
        discharged_on=TODAY,
        contacts_held=0,
        outcomes_shared=False,
    )
    now = datetime.now(UTC)
    envelope = encode(
        payload,
        aggregate_id=payload.summary_id,
        aggregate_version=1,
        occurred_at=now,
        recorded_at=now,
        producer="engagement",
    )
    services = client.app.state.services
    with services.pool.transaction() as cur:
        apply_followed_event(services.unit_of_work(cur, cause=envelope), envelope, payload)
