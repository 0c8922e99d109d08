"""GET /cases: each caller's cases only, reviews due, cases past their two-year limit."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engagement_testkit import COLLEAGUE, OTHER_PROVIDER, SCORES, STRANGER, contact_body


def ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.text
    return {c["case_id"] for c in answer.json()["items"]}


def test_link_workers_see_their_caseload_and_managers_their_providers(client, token, open_case):
    mine, colleagues = str(open_case()), str(open_case(worker=COLLEAGUE))
    elsewhere = str(open_case(worker=STRANGER, provider=OTHER_PROVIDER))
    assert ids(client.get("/cases", headers=token())) == {mine}
    assert ids(client.get("/cases", headers=token("provider_manager"))) == {mine, colleagues}
    assert ids(client.get("/cases", headers=token("service"))) == {mine, colleagues, elsewhere}
    assert ids(client.get(f"/cases?link_worker_id={COLLEAGUE}", headers=token("provider_manager"))) == {colleagues}
    assert ids(client.get("/cases?status=allocated", headers=token())) == {mine}
    assert ids(client.get("/cases?status=engaged", headers=token())) == set()


def test_reviews_due_and_overdue_are_listed(client, token, open_case, clock):
    case_id = open_case()
    client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token())
    client.post(f"/cases/{case_id}/stars", json={"taken_on": "2024-06-05", "scores": SCORES}, headers=token())
    assert ids(client.get("/cases?due_for_review=true", headers=token())) == set()
    clock.now = datetime(2024, 12, 5, 12, tzinfo=UTC)  # due today
    assert ids(client.get("/cases?due_for_review=true", headers=token())) == {str(case_id)}
    clock.now = datetime(2024, 12, 6, 12, tzinfo=UTC)
    view = client.get(f"/cases/{case_id}", headers=token()).json()
    assert view["review"] == {"due_on": "2024-12-05", "is_due": True, "is_overdue": True}
    assert client.get("/cases?due_for_review=true", headers=token()).json()["items"][0]["review_overdue"] is True


def test_cases_open_two_years_without_extension_or_discharge_are_past_limit(client, token, open_case, clock):
    kept, discharged, plain = open_case(), open_case(), open_case()
    clock.now = datetime(2026, 6, 3, 12, tzinfo=UTC)
    client.post(
        f"/cases/{kept}/extension", json={"reason": "needs more time", "review_on": "2026-12-01"}, headers=token()
    )
    client.post(
        f"/cases/{discharged}/discharge",
        json={"discharged_on": "2026-06-03", "reason": "reached_time_limit"},
        headers=token(),
    )
    assert ids(client.get("/cases?past_limit=true", headers=token())) == {str(plain)}
    clock.now = datetime(2026, 12, 1, 12, tzinfo=UTC)  # the extension's review date has come
    assert ids(client.get("/cases?past_limit=true", headers=token())) == {str(plain), str(kept)}
    assert date.fromisoformat(client.get(f"/cases/{kept}", headers=token()).json()["time_limit"]["limit_on"]) == date(
        2026, 6, 3
    )
