"""`GET /cases/{id}/discharge-summary/preview` (issue 19's discharge with its preview): exactly the
summary the discharge then sends the practice, with and without consent to share outcomes; nothing is
stored by a preview; the discharge's own refusals (a bad reason or no date 422, a date before the last
thing recorded or a closed case 409) and
the case's access (another link worker 404, a referrer 403)."""

from __future__ import annotations

import uuid

from engagement_testkit import SCORES, contact_body

from contracts.codec import decode
from linkwell_runtime.testing import query


def _sent_summary(settings) -> dict:
    [(message,)] = query(settings.database_url, "SELECT message FROM outbox WHERE topic LIKE %s", ("%practice%",))
    _, payload = decode(bytes(message))
    return payload.model_dump(mode="json")


def _engaged_case(client, token, open_case) -> uuid.UUID:
    case_id = open_case()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    star = {"taken_on": "2024-06-05", "scores": SCORES}
    assert client.post(f"/cases/{case_id}/stars", json=star, headers=token()).status_code == 201
    review = {"taken_on": "2024-08-30", "scores": SCORES | {"money": 9}}
    assert client.post(f"/cases/{case_id}/stars", json=review, headers=token()).status_code == 201
    return case_id


def test_the_preview_is_the_summary_the_discharge_then_sends_and_stores_nothing(client, token, open_case, settings):
    case_id = _engaged_case(client, token, open_case)
    share = {"consent": "share_outcomes_with_gp", "state": "given", "on": "2024-06-05"}
    assert client.post(f"/cases/{case_id}/consents", json=share, headers=token()).status_code == 201
    events = query(settings.database_url, "SELECT count(*) FROM events")
    params = {"discharged_on": "2024-09-02", "reason": "goals_met"}

    preview = client.get(f"/cases/{case_id}/discharge-summary/preview", params=params, headers=token())

    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["outcomes_shared"] is True and shown["wellbeing"]["change"] == 3 and shown["contacts_held"] == 1
    assert query(settings.database_url, "SELECT count(*) FROM events") == events  # nothing stored
    assert query(settings.database_url, "SELECT count(*) FROM outbox WHERE topic LIKE %s", ("%practice%",)) == [(0,)]
    sent = client.post(f"/cases/{case_id}/discharge", json=params, headers=token())
    assert sent.status_code == 201, sent.text
    assert _sent_summary(settings) == shown


def test_without_consent_to_share_the_preview_carries_no_outcomes(client, token, open_case):
    case_id = _engaged_case(client, token, open_case)
    params = {"discharged_on": "2024-09-02", "reason": "declined_further_support"}
    shown = client.get(f"/cases/{case_id}/discharge-summary/preview", params=params, headers=token()).json()
    assert shown["outcomes_shared"] is False and shown["wellbeing"] is None and shown["goals"] == []
    assert [c["code"] for c in shown["codes"]] == ["871731000000106", "871711000000103"]


def test_the_preview_refuses_what_the_discharge_would(client, token, open_case):
    case_id = _engaged_case(client, token, open_case)
    path = f"/cases/{case_id}/discharge-summary/preview"
    bad = client.get(path, params={"discharged_on": "2024-09-02", "reason": "bored"}, headers=token())
    assert bad.status_code == 422 and [e["loc"][-1] for e in bad.json()["errors"]] == ["reason"]
    early = client.get(path, params={"discharged_on": "2024-06-01", "reason": "goals_met"}, headers=token())
    assert early.status_code == 409  # before the last thing recorded, as the discharge itself answers
    assert client.get(path, params={"reason": "goals_met"}, headers=token()).status_code == 422
    other = token(link_worker_id=str(uuid.uuid4()))
    assert (
        client.get(path, params={"discharged_on": "2024-09-02", "reason": "goals_met"}, headers=other).status_code
        == 404
    )
    assert (
        client.get(
            path, params={"discharged_on": "2024-09-02", "reason": "goals_met"}, headers=token("referrer")
        ).status_code
        == 403
    )
    gone = client.post(
        f"/cases/{case_id}/discharge", json={"discharged_on": "2024-09-02", "reason": "goals_met"}, headers=token()
    )
    assert gone.status_code == 201
    assert (
        client.get(path, params={"discharged_on": "2024-09-02", "reason": "goals_met"}, headers=token()).status_code
        == 409
    )
