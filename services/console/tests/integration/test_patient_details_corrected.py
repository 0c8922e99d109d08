"""Correcting a patient's details from the console (issue 19), over FastAPI's TestClient against real
referral, engagement and reporting services on fresh databases (`referrer_and_manager_kit`).

The link worker holding the case corrects the phone from the case page and sees it there (the form sent
twice with its one key: corrected once); a postcode that is not one is refused beside its field by the
referral API and nothing changes; a referrer corrects a misspelt family name from the referral's page
(the form sent with nothing changed, or with no reason, refused on it first). Each form sends only what
changed: the event names the corrected details."""

from __future__ import annotations

import html
import re

import referrer_and_manager_kit as kit
from casework_kit import days_ago
from casework_kit import refer as refer_by_api
from console_testkit import csrf, sign_in
from referrer_and_manager_kit import error_beside, patient, post_form

from linkwell_runtime.testing import query, scalar

platform, console = kit.platform, kit.console  # the kit's fixtures


def _corrections(platform: kit.Platform, referral_id: str) -> list[list[str]]:
    """The corrected details of each `PatientDetailsCorrected` (names only; the values are sealed)."""
    rows = query(
        platform.referral_db,
        "SELECT envelope->'payload' FROM events WHERE event_type = 'PatientDetailsCorrected' AND aggregate_id = %s",
        (referral_id,),
    )
    return [list(row[0]["corrected"]) for row in rows]


def _drawn(page: str) -> dict[str, str]:
    """The details form as drawn: every input's value, the hidden ones (key, what was shown) included."""
    form = page.split('id="form-patient-details"', 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)
    return {name: html.unescape(value) for name, value in fields}


def _send(console, page_path: str, changes: dict[str, str], *, drawn: dict[str, str] | None = None):
    page = console.get(page_path)
    form = (drawn or _drawn(page.text)) | {"csrf_token": csrf(page)} | changes
    action = page_path.split("?")[0] + "/patient-details"
    return console.post(action, data=form, follow_redirects=False)


def _allocated_case(platform: kit.Platform, n: int) -> str:
    """Patient `n` referred over the API, allocated to link worker A and their case opened."""
    created = refer_by_api(platform.apis["referral"], platform.secret, n, days_ago(5), platform.practice)
    platform.open_cases()
    return str(created["referral_id"])


def _worker_a(platform: kit.Platform) -> str:
    return f"worker:{platform.provider}:{platform.workers[0]['link_worker_id']}"


def test_a_link_worker_corrects_the_phone_and_sees_it_on_the_case_page_once_though_sent_twice(console, platform):
    case_id = _allocated_case(platform, 3)
    sign_in(console, _worker_a(platform))
    path = f"/cases/{case_id}"
    page = console.get(path)
    assert page.status_code == 200, page.text
    drawn = _drawn(page.text)
    assert drawn["details_given_name"] == "Ken" and drawn["details_was_phone"] == drawn["details_phone"]
    old_phone = drawn["details_phone"]
    assert re.search(rf'id="patient-phone">{re.escape(old_phone)}<', page.text)

    changed = {"details_phone": "07700 900123", "details_reason": "changed"}
    for _ in range(2):  # the same form (one Idempotency-Key) sent twice: corrected once
        done = _send(console, path, changed, drawn=drawn)
        assert done.status_code == 303 and done.headers["location"] == f"{path}?done=patient-details"
    assert _corrections(platform, case_id) == [["phone"]]  # only what changed was sent
    shown = console.get(done.headers["location"]).text
    assert "The patient&#39;s details were corrected." in shown
    assert re.search(r'id="patient-phone">07700 ?900123<', shown) and old_phone not in shown


def test_a_bad_postcode_is_refused_beside_the_field_and_nothing_changes(console, platform):
    case_id = _allocated_case(platform, 2)
    sign_in(console, _worker_a(platform))
    path = f"/cases/{case_id}"
    no_reason = _send(console, path, {"details_postcode": "NE1 4LP"})
    assert no_reason.status_code == 422 and "Choose why" in error_beside(no_reason.text, "details_reason")
    nothing = _send(console, path, {"details_reason": "changed"})
    assert nothing.status_code == 422 and re.search(
        r'id="patient-details-refused" role="alert">.*?Nothing', nothing.text
    )

    refused = _send(console, path, {"details_postcode": "NOT A POSTCODE", "details_reason": "changed"})
    assert refused.status_code == 422
    assert "not a UK postcode" in error_beside(refused.text, "details_postcode")  # the referral API's words
    assert 'value="NOT A POSTCODE"' in refused.text  # what was typed is kept
    assert '<details class="nhsuk-details" open>' in refused.text  # the form open at its problem
    assert _corrections(platform, case_id) == []
    assert "NE4 6QA" in console.get(path).text.split('id="patient-address">')[1].split("<")[0]


def test_a_referrer_corrects_a_misspelt_family_name(console, platform):
    sign_in(console, f"referrer:{platform.practice}")
    sent = post_form(
        console, "/refer", "/refer", patient(1, family_name="Milbrun", referred_on=days_ago(2).isoformat())
    )
    assert sent.status_code == 303, sent.text
    referral_id = sent.headers["location"].split("/")[2].split("?")[0]
    path = f"/referrals/{referral_id}"
    assert "<h1>Arthur Milbrun</h1>" in console.get(path).text

    done = _send(console, path, {"details_family_name": "Milburn", "details_reason": "entered_wrongly"})
    assert done.status_code == 303 and done.headers["location"] == f"{path}?done=patient-details"
    assert _corrections(platform, referral_id) == [["family_name"]]
    shown = console.get(done.headers["location"]).text
    assert "<h1>Arthur Milburn</h1>" in shown and "The patient&#39;s details were corrected." in shown
    assert (
        scalar(
            platform.referral_db,
            "SELECT count(*) FROM access_audit WHERE subject = %s AND action = 'correct_identifiable'",
            (f"console-referrer:{platform.practice}",),
        )
        == 1
    )
