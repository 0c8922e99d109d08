"""A practice cannot tell a referral held behind another practice's open episode from one allocated at
once (issue 15 item 1, docs/security.md §3.1): both are `accepted` in every answer it gets until first
contact, nothing else in them differs but what the practice itself sent, its list filter cannot
separate them, and a withdrawal or decline of either looks the same. Nor can it probe them with changes
it may make: a decline or withdrawal with an early date, a later referral date, a correction of the
entries that fails a criterion get the same answers for both (docs/security.md §7). Link workers,
managers and operators still see the real statuses."""

from __future__ import annotations

import json
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


def _held_and_allocated_later(client, token) -> tuple[dict, dict]:
    """Two referrals from one practice, both assessed on their referral date and held behind open
    episodes from another practice; the second's ends, so it is allocated today, long after its
    assessment (the allocation a probe dated between the two would find)."""
    elsewhere = [_refer(client, token, PRACTICE, nhs) for nhs in VALID_NHS[:2]]
    held, allocated = (_refer(client, token, OTHER_PRACTICE, nhs) for nhs in VALID_NHS[:2])
    ended = client.post(f"/referrals/{elsewhere[1]['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert ended.status_code == 200, ended.text
    real = [client.get(f"/referrals/{r['referral_id']}", headers=token("operator")).json() for r in (held, allocated)]
    assert [(r["status"], r["status_since"]) for r in real] == [("eligible", REFERRED_ON), ("allocated", str(TODAY))]
    return held, allocated


def _alike(answers, held: dict, allocated: dict) -> dict:
    """Two answers, one per referral, checked to have the same status and the same body but for the
    referral's own ids; the first body returned."""
    assert answers[0].status_code == answers[1].status_code, [a.text for a in answers]
    bodies = [
        json.loads(a.text.replace(r["referral_id"], "REFERRAL").replace(r["patient_id"], "PATIENT"))
        for a, r in zip(answers, (held, allocated), strict=True)
    ]
    assert _own_left_out(bodies[0]) == _own_left_out(bodies[1])
    return bodies[0]


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

    if ending == "decline":  # a summary engagement sent of the allocated one's case (before it stopped) is not shown
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


ENDINGS = [("withdrawal", {"reason": "duplicate"}, "withdrawn_on"), ("decline", {"reason": "other"}, "declined_on")]


@pytest.mark.parametrize(("ending", "body", "dated"), ENDINGS)
def test_an_ending_dated_before_the_allocation_is_taken_alike_and_one_before_acceptance_refused_alike(
    client, token, ending, body, dated
):
    held, allocated = _held_and_allocated_later(client, token)
    paths = [f"/referrals/{r['referral_id']}/{ending}" for r in (held, allocated)]

    too_early = _alike(
        [client.post(p, json=body | {dated: "2024-06-02"}, headers=_practice(token)) for p in paths], held, allocated
    )
    assert too_early["detail"].endswith(f"before the referral's last change ({REFERRED_ON})")  # the date it was shown

    # dated after the assessment, before the allocation (today): taken for both, on the day given
    taken = _alike(
        [client.post(p, json=body | {dated: "2024-06-04"}, headers=_practice(token)) for p in paths], held, allocated
    )
    assert (taken["status_since"], taken["link_worker_id"]) == ("2024-06-04", None)
    _seen_alike(client, token, held, allocated)
    real = client.get(f"/referrals/{allocated['referral_id']}", headers=token("operator")).json()
    assert real["status_since"] == "2024-06-04"


def test_a_later_referral_date_is_refused_alike_naming_the_day_the_practice_was_shown(client, token):
    held, allocated = _held_and_allocated_later(client, token)
    paths = [f"/referrals/{r['referral_id']}/entries" for r in (held, allocated)]
    later = _alike(
        [client.post(p, json={"referred_on": "2024-06-10"}, headers=_practice(token)) for p in paths], held, allocated
    )
    assert later["detail"].startswith(f"the referral was accepted on {REFERRED_ON}")
    earlier = _alike(
        [client.post(p, json={"referred_on": "2024-06-01"}, headers=_practice(token)) for p in paths], held, allocated
    )
    assert (earlier["status"], earlier["corrected"]) == ("accepted", ["referred_on"])
    view = _seen_alike(client, token, held, allocated)
    assert (view["referred_on"], view["status_since"]) == ("2024-06-01", REFERRED_ON)
    # the provider's manager, who knows the allocation, is held to the case's opening instead
    manager = token("provider_manager", provider_id=str(FIRST_CONTACT))
    for r in (held, allocated):
        moved = client.post(
            f"/referrals/{r['referral_id']}/entries", json={"referred_on": "2024-06-10"}, headers=manager
        )
        assert moved.status_code == 200, moved.text


def test_a_correction_that_fails_a_criterion_ends_either_ineligible_and_frees_the_allocated_place(client, token):
    held, allocated = _held_and_allocated_later(client, token)
    worker_id = with_allocation(client, token, allocated)["link_worker_id"]
    paths = [f"/referrals/{r['referral_id']}/entries" for r in (held, allocated)]
    answer = _alike([client.post(p, json={"conditions": []}, headers=_practice(token)) for p in paths], held, allocated)
    assert (answer["status"], [r["code"] for r in answer["criteria_failed"]]) == (
        "ineligible",
        ["no_qualifying_condition"],
    )
    view = _seen_alike(client, token, held, allocated)
    assert (view["status"], view["provider_id"], view["link_worker_id"]) == ("ineligible", None, None)
    summaries = [
        client.get(f"/referrals/{r['referral_id']}/discharge-summary", headers=_practice(token))
        for r in (held, allocated)
    ]
    summary = _alike(summaries, held, allocated)
    assert (summary["status"], summary["link_worker_id"], summary["sent_to_practice"]) == ("ineligible", None, None)
    # the team still sees who held it, and the place it held is free
    manager = token("provider_manager", provider_id=str(FIRST_CONTACT))
    kept = client.get(f"/referrals/{allocated['referral_id']}", headers=manager).json()
    assert (kept["status"], kept["link_worker_id"]) == ("ineligible", worker_id)
    workers = client.get("/link-workers", params={"provider_id": str(FIRST_CONTACT)}, headers=manager).json()
    assert {w["link_worker_id"]: w["active_caseload"] for w in workers}[worker_id] == 0
