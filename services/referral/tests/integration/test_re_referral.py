"""Re-referral (issue 18 item 6, docs/domain.md §3.7) over HTTP on the real database: a new referral of
a patient whose earlier episode ended is the next episode, knows the previous one's outcome, goes to
the link worker who held it when they have room (otherwise by the usual rule, or the queue), and shows
each caller only the earlier episodes they could open themselves."""

from __future__ import annotations

from referral_testkit import CHANGING_LIVES, PRACTICE, VALID_NHS, count, referral_body, with_allocation

SAME_PROVIDER_PRACTICE = "A85002"  # Benwell: also served by Changing Lives


def _manager(token):
    return token("provider_manager", provider_id=str(CHANGING_LIVES))


def _refer(client, token, practice=PRACTICE, nhs=VALID_NHS[0], **fields) -> dict:
    answer = client.post(
        "/referrals",
        json=referral_body(nhs_number=nhs, practice_ods_code=practice, **fields),
        headers=token("referrer", practice=practice),
    )
    assert answer.status_code == 201, answer.text
    return with_allocation(client, token, answer.json())  # who holds it: its practice is not told


def _workers(client, token) -> list[dict]:
    return client.get("/link-workers", params={"provider_id": str(CHANGING_LIVES)}, headers=_manager(token)).json()


def _capacities(client, token, capacities: dict[str, int]) -> None:
    for worker_id, capacity in capacities.items():
        answer = client.patch(f"/link-workers/{worker_id}", json={"capacity": capacity}, headers=_manager(token))
        assert answer.status_code == 200, answer.text


def _declined(client, token, practice=PRACTICE, **fields) -> dict:
    created = _refer(client, token, practice, **fields)
    answer = client.post(
        f"/referrals/{created['referral_id']}/decline",
        json={"reason": "not_the_right_time"},
        headers=token("referrer", practice=practice),
    )
    assert answer.status_code == 200, answer.text
    return created


def test_a_re_referral_is_episode_two_and_goes_to_the_previous_link_worker_who_has_room(client, token):
    first = _declined(client, token)
    previous = first["link_worker_id"]
    # the previous worker has one place; a colleague has many more (the usual rule would choose them)
    others = [w["link_worker_id"] for w in _workers(client, token) if w["link_worker_id"] != previous]
    _capacities(client, token, {previous: 1, others[0]: 60})
    again = _refer(client, token)
    assert (again["status"], again["link_worker_id"]) == ("allocated", previous)
    view = client.get(f"/referrals/{again['referral_id']}", headers=_manager(token)).json()
    assert view["episode"] == {
        "number": 2,
        "previous": {
            "referral_id": first["referral_id"],
            "status": "declined",
            "referred_on": "2024-06-03",
            "closed_on": view["episode"]["previous"]["closed_on"],
            "reason": "not_the_right_time",
            "link_worker_id": previous,
        },
    }
    listed = client.get("/referrals", headers=token()).json()["items"]
    assert [(i["referral_id"], i["episode"]["number"]) for i in listed] == [
        (first["referral_id"], 1),
        (again["referral_id"], 2),
    ]
    assert count(client, "events WHERE event_type = 'ReferralEpisodeLinked'") == 1


def test_without_room_for_the_previous_link_worker_the_re_referral_follows_the_usual_rule(client, token):
    first = _declined(client, token)
    previous = first["link_worker_id"]
    _capacities(client, token, {previous: 0})
    again = _refer(client, token)
    assert again["status"] == "allocated" and again["link_worker_id"] not in (None, previous)
    view = client.get(f"/referrals/{again['referral_id']}", headers=_manager(token)).json()
    assert view["episode"]["number"] == 2 and view["episode"]["previous"]["link_worker_id"] == previous
    # the practice is not told who held an episode declined before first contact (docs/security.md §3.1)
    practice_view = client.get(f"/referrals/{again['referral_id']}", headers=token()).json()
    assert practice_view["episode"]["previous"]["link_worker_id"] is None
    # the colleague now holding it never held the first episode: they are not shown it
    colleague = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=again["link_worker_id"])
    seen = client.get(f"/referrals/{again['referral_id']}", headers=colleague)
    assert seen.json()["episode"] == {"number": 1, "previous": None}
    assert first["referral_id"] not in seen.text


def test_continuity_never_takes_a_re_referral_ahead_of_the_queue(client, token):
    first = _declined(client, token)
    previous = first["link_worker_id"]
    _capacities(client, token, {w["link_worker_id"]: 0 for w in _workers(client, token)})
    ahead = _refer(client, token, nhs=VALID_NHS[1])  # another patient, waiting first
    waiting = _refer(client, token)
    assert (ahead["status"], waiting["status"]) == ("eligible", "eligible")
    _capacities(client, token, {previous: 1})  # the previous worker's one place goes to the queue's head
    status = {
        r: client.get(f"/referrals/{r}", headers=_manager(token)).json()
        for r in (ahead["referral_id"], waiting["referral_id"])
    }
    assert (status[ahead["referral_id"]]["link_worker_id"], status[waiting["referral_id"]]["status"]) == (
        previous,
        "eligible",
    )
    _capacities(client, token, {previous: 2})
    after = client.get(f"/referrals/{waiting['referral_id']}", headers=_manager(token)).json()
    assert (after["status"], after["link_worker_id"], after["episode"]["number"]) == ("allocated", previous, 2)


def test_a_practice_sees_only_its_own_earlier_episodes_of_the_patient(client, token):
    first = _declined(client, token)  # practice A85001
    again = _refer(client, token, SAME_PROVIDER_PRACTICE)
    other_practice = token("referrer", practice=SAME_PROVIDER_PRACTICE)
    view = client.get(f"/referrals/{again['referral_id']}", headers=other_practice)
    assert view.status_code == 200
    assert view.json()["episode"] == {"number": 1, "previous": None}
    assert first["referral_id"] not in view.text
    listed = client.get("/referrals", headers=other_practice)
    assert first["referral_id"] not in listed.text
    assert [i["episode"] for i in listed.json()["items"]] == [{"number": 1, "previous": None}]
    # the provider's manager held both: episode 2 with the reason; operators see it without the reason
    managed = client.get(f"/referrals/{again['referral_id']}", headers=_manager(token)).json()["episode"]
    assert (managed["number"], managed["previous"]["reason"]) == (2, "not_the_right_time")
    operated = client.get(f"/referrals/{again['referral_id']}", headers=token("operator")).json()["episode"]
    assert (operated["number"], operated["previous"]["status"], operated["previous"]["reason"]) == (2, "declined", None)
    # continuity: the link worker who held the first episode holds the new one, and sees the first
    assert again["link_worker_id"] == first["link_worker_id"]
    worker = token("link_worker", provider_id=str(CHANGING_LIVES), link_worker_id=again["link_worker_id"])
    assert client.get(f"/referrals/{again['referral_id']}", headers=worker).json()["episode"]["number"] == 2


def test_ineligible_and_withdrawn_referrals_do_not_count_as_episodes(client, token):
    ineligible = _refer(client, token, conditions=[])
    assert ineligible["status"] == "ineligible"
    withdrawn = _refer(client, token)
    answer = client.post(
        f"/referrals/{withdrawn['referral_id']}/withdrawal", json={"reason": "duplicate"}, headers=token()
    )
    assert answer.status_code == 200
    again = _refer(client, token)
    assert client.get(f"/referrals/{again['referral_id']}", headers=token()).json()["episode"] == {
        "number": 1,
        "previous": None,
    }
    assert count(client, "events WHERE event_type = 'ReferralEpisodeLinked'") == 0


def test_a_referral_while_an_episode_is_open_is_ineligible_and_still_knows_the_ended_ones(client, token):
    first = _declined(client, token)
    open_one = _refer(client, token)
    blocked = _refer(client, token)
    assert blocked["status"] == "ineligible"
    assert [r["code"] for r in blocked["eligibility"]["reasons"]] == ["open_episode_exists"]
    view = client.get(f"/referrals/{blocked['referral_id']}", headers=token()).json()
    assert view["episode"]["number"] == 2 and view["episode"]["previous"]["referral_id"] == first["referral_id"]
    assert open_one["referral_id"] not in str(view["episode"])


def test_a_re_referral_after_a_discharge_knows_its_reason_and_date(client, token, settings):
    from test_referral_lifecycle import TODAY, case_event, contacted, deliver, refer

    from contracts.engagement import CaseDischarged

    first = refer(client, token)
    deliver(client, settings, contacted(first))
    discharged = case_event(
        first, CaseDischarged, reason="goals_met", discharged_on=TODAY, contacts_count=3, stars_count=1
    )
    deliver(client, settings, discharged)
    again = refer(client, token)
    assert again["link_worker_id"] == first["link_worker_id"]
    previous = client.get(f"/referrals/{again['referral_id']}", headers=token()).json()["episode"]["previous"]
    assert (previous["status"], previous["reason"], previous["closed_on"]) == ("discharged", "goals_met", str(TODAY))
