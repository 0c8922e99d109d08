"""A provider manager's case page and names, and a referrer putting a referral right (issue 19), over
FastAPI's TestClient against real referral, engagement and reporting services on fresh databases.

The manager opens one of the organisation's cases (read only, its patient's name an audited read), hands
it to a colleague from there (a colleague not chosen refused beside the field; the form sent twice, one
`CaseReassigned`), and sees the waiting referrals and the open concerns with their patients named (one
identity call, one audit row per patient); a referrer gets the 403 page, another organisation's
manager "not found". The referrer corrects the referral's entries (a date that is not one and a
condition the API does not know refused beside their fields, nothing changed said on the form, the
correction sent twice stored once) and withdraws it (a reason needed; sent twice, withdrawn once)."""

from __future__ import annotations

import re

import referrer_and_manager_kit as kit
from casework_kit import days_ago
from casework_kit import refer as refer_by_api
from console_testkit import bearer, sign_in
from referrer_and_manager_kit import audited, error_beside, patient, post_form

from linkwell_runtime.testing import scalar

platform, console = kit.platform, kit.console  # the kit's fixtures


def _events(db: str, kind: str, aggregate: str) -> int:
    return scalar(db, "SELECT count(*) FROM events WHERE event_type = %s AND aggregate_id = %s", (kind, aggregate))


def _key(page: str, action: str) -> str:
    found = re.search(rf'action="{re.escape(action)}".*?name="idempotency_key" value="([^"]+)"', page, re.S)
    assert found, f"no form posting to {action}"
    return found.group(1)


def test_a_manager_opens_a_case_hands_it_over_from_its_page_and_sees_waiting_patients_named(console, platform):
    a, b = (str(w["link_worker_id"]) for w in platform.workers)
    case_id = str(
        refer_by_api(platform.apis["referral"], platform.secret, 3, days_ago(10), platform.practice)["referral_id"]
    )
    platform.open_cases()
    room = platform.apis["referral"].patch(
        f"/link-workers/{b}", json={"capacity": 1}, headers=bearer("operator", platform.secret)
    )
    assert room.status_code == 200, room.text
    subject = f"console-manager:{platform.provider}"
    sign_in(console, f"manager:{platform.provider}")

    before = audited(platform, subject)
    page = console.get(f"/team/cases/{case_id}")
    assert page.status_code == 200, page.text
    assert "<h1>Ken Shearer</h1>" in page.text and f'id="holder" data-link-worker-id="{a}"' in page.text
    assert audited(platform, subject) == before + 1  # the name: one audited identity read
    assert 'id="form-reassignment"' in page.text
    assert 'id="form-contact"' not in page.text and 'id="form-concern"' not in page.text  # the link worker's work
    assert f'href="/team/cases/{case_id}"' in console.get(f"/team/link-workers/{a}").text

    action = f"/team/cases/{case_id}/reassignment"
    nobody = post_form(console, f"/team/cases/{case_id}", action, {"from_link_worker_id": a, "back": "case"})
    assert nobody.status_code == 422 and "Choose the colleague" in error_beside(nobody.text, f"to_{case_id}")
    assert "<h1>Ken Shearer</h1>" in nobody.text  # the case page again, not the link worker's
    assert _events(platform.engagement_db, "CaseReassigned", case_id) == 0
    key = _key(console.get(f"/team/cases/{case_id}").text, action)
    for _ in range(2):  # the form sent twice: one reassignment
        moved = post_form(
            console,
            f"/team/cases/{case_id}",
            action,
            {"from_link_worker_id": a, "link_worker_id": b, "back": "case"},
            key=key,
        )
        assert moved.status_code == 303 and moved.headers["location"] == f"/team/cases/{case_id}?done=reassigned"
    assert _events(platform.engagement_db, "CaseReassigned", case_id) == 1
    shown = console.get(moved.headers["location"]).text
    assert "Case handed over." in shown and f'id="holder" data-link-worker-id="{b}"' in shown
    platform.follow_cases()

    # A's room taken again, everyone full: the next referral waits, named in the queue; a concern on the
    # case, named too
    refer_by_api(platform.apis["referral"], platform.secret, 1, days_ago(7), platform.practice)
    form = patient(0, referred_on=days_ago(6).isoformat())
    body = {k: v for k, v in form.items() if not k.startswith("referrer_")} | {
        "practice_ods_code": platform.practice,
        "referrer": {"name": "Dr A Khan", "role": "gp"},
    }
    referrer = bearer("referrer", platform.secret, practice=platform.practice)
    waiting = platform.apis["referral"].post("/referrals", json=body, headers=referrer).json()
    assert waiting["status"] == "accepted", waiting  # to its practice; the manager's queue shows it waiting
    concern = {"category": "neglect", "risk_level": "high", "description": "Not eating"}
    raised = platform.apis["engagement"].post(
        f"/cases/{case_id}/safeguarding-concerns", json=concern, headers=platform.worker_headers(platform.workers[1])
    )
    assert raised.status_code == 201, raised.text
    before = audited(platform, subject)
    team = console.get("/team").text
    queue = team.split('id="queue"')[1].split("</table>")[0]
    assert "Joan Robson" in queue and re.search(r'class="lw-num">\d+ days?</td>', queue)
    concerns = team.split('id="concerns"')[1].split("</table>")[0]
    assert f'<a href="/team/cases/{case_id}">Ken Shearer</a>' in concerns
    assert audited(platform, subject) == before + 2  # one call, one audit row per patient named


def test_a_case_page_of_the_team_is_a_managers_own_organisations_only(console, platform):
    case_id = str(
        refer_by_api(platform.apis["referral"], platform.secret, 4, days_ago(5), platform.practice)["referral_id"]
    )
    platform.open_cases()
    sign_in(console, f"referrer:{platform.practice}")  # the referral's own practice, not its provider
    assert console.get(f"/team/cases/{case_id}").status_code == 403
    console.cookies.clear()
    sign_in(console, f"manager:{platform.other_provider}")
    elsewhere = console.get(f"/team/cases/{case_id}")
    assert elsewhere.status_code == 404 and "Ada" not in elsewhere.text


def test_a_referrer_corrects_the_entries_then_withdraws_the_referral_each_stored_once(console, platform):
    sign_in(console, f"referrer:{platform.practice}")
    sent = post_form(console, "/refer", "/refer", patient(1, referred_on=days_ago(3).isoformat()))
    assert sent.status_code == 303, sent.text
    referral_id = sent.headers["location"].split("/")[2].split("?")[0]
    path, entries = f"/referrals/{referral_id}", f"/referrals/{referral_id}/entries"
    page = console.get(path)
    assert 'id="form-entries"' in page.text and 'id="form-withdrawal"' in page.text
    as_sent = {
        "fix_conditions": ["type2_diabetes"],
        "fix_referred_on": days_ago(3).isoformat(),
        "fix_referrer_name": "Dr A Khan",
        "fix_referrer_role": "gp",
    }

    not_a_date = post_form(console, path, entries, as_sent | {"fix_referred_on": "03/02/2026"})
    assert not_a_date.status_code == 422 and "YYYY-MM-DD" in error_beside(not_a_date.text, "fix_referred_on")
    unknown = post_form(console, path, entries, as_sent | {"fix_conditions": ["type2_diabetes", "gout"]})
    assert unknown.status_code == 422 and "refused" in error_beside(unknown.text, "fix_conditions")
    unchanged = post_form(console, path, entries, as_sent)
    assert unchanged.status_code == 422 and re.search(r'id="entries-refused" role="alert">.*?nothing', unchanged.text)
    assert _events(platform.referral_db, "ReferralEntriesCorrected", referral_id) == 0

    corrected = as_sent | {"fix_conditions": ["type2_diabetes", "copd"], "fix_referrer_name": "Dr B Khan"}
    key = _key(console.get(path).text, entries)
    for _ in range(2):
        done = post_form(console, path, entries, corrected, key=key)
        assert done.status_code == 303 and done.headers["location"] == f"{path}?done=corrected"
    assert _events(platform.referral_db, "ReferralEntriesCorrected", referral_id) == 1
    shown = console.get(done.headers["location"]).text
    assert "entries were corrected" in shown and "Dr B Khan" in shown
    stored = platform.apis["referral"].get(
        path, headers=bearer("referrer", platform.secret, practice=platform.practice)
    )
    assert sorted(stored.json()["conditions"]) == ["copd", "type2_diabetes"]

    withdrawal = f"/referrals/{referral_id}/withdrawal"
    no_reason = post_form(console, path, withdrawal, {})
    assert no_reason.status_code == 422 and "Choose why" in error_beside(no_reason.text, "withdraw_reason")
    key = _key(console.get(path).text, withdrawal)
    for _ in range(2):
        done = post_form(console, path, withdrawal, {"withdraw_reason": "duplicate"}, key=key)
        assert done.status_code == 303, done.text
    assert _events(platform.referral_db, "ReferralWithdrawn", referral_id) == 1
    shown = console.get(done.headers["location"]).text
    assert "The referral was withdrawn." in shown and "Withdrawn (made in error)" in shown
    assert 'id="form-withdrawal"' not in shown and 'id="form-entries"' not in shown


def test_a_referrer_of_another_practice_cannot_withdraw_it(console, platform):
    created = refer_by_api(platform.apis["referral"], platform.secret, 2, days_ago(4), platform.practice)
    referral_id = str(created["referral_id"])
    sign_in(console, f"referrer:{platform.other_practice}")
    taken = post_form(console, "/referrals", f"/referrals/{referral_id}/withdrawal", {"withdraw_reason": "duplicate"})
    assert taken.status_code == 404
    assert _events(platform.referral_db, "ReferralWithdrawn", referral_id) == 0
