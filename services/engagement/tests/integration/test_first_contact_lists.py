"""GET /cases?first_contact=due|overdue and the case's `first_contact` (issue 18, item 5): the first
contact or attempt is due 2 working days after allocation (docs/domain.md §4.2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engagement_testkit import COLLEAGUE, OTHER_PROVIDER, STRANGER, contact_body


def ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.text
    return {c["case_id"] for c in answer.json()["items"]}


def test_first_contacts_due_and_overdue_are_listed_within_each_callers_scope(client, token, open_case, clock):
    friday = date(2026, 12, 4)  # due Tuesday 8 December
    waiting, reached, tried = (str(open_case(allocated_on=friday)) for _ in range(3))
    colleagues = str(open_case(allocated_on=friday, worker=COLLEAGUE))
    elsewhere = str(open_case(allocated_on=friday, worker=STRANGER, provider=OTHER_PROVIDER))
    clock.now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    contact = contact_body(occurred_at="2026-12-07T10:00:00+00:00")
    assert client.post(f"/cases/{reached}/contacts", json=contact, headers=token()).status_code == 201
    attempt = {"occurred_at": "2026-12-07T11:00:00+00:00"}
    assert client.post(f"/cases/{tried}/contact-attempts", json=attempt, headers=token()).status_code == 201

    assert ids(client.get("/cases?first_contact=due", headers=token())) == {waiting}
    assert ids(client.get("/cases?first_contact=overdue", headers=token())) == set()
    assert ids(client.get("/cases?first_contact=due", headers=token("provider_manager"))) == {waiting, colleagues}
    assert ids(client.get("/cases?first_contact=due", headers=token("service"))) == {waiting, colleagues, elsewhere}

    clock.now = datetime(2026, 12, 8, 16, tzinfo=UTC)  # the due day itself: still due
    assert ids(client.get("/cases?first_contact=due", headers=token())) == {waiting}
    clock.now = datetime(2026, 12, 9, 9, tzinfo=UTC)
    assert ids(client.get("/cases?first_contact=overdue", headers=token())) == {waiting}
    assert ids(client.get("/cases?first_contact=due", headers=token())) == set()
    page = client.get("/cases?first_contact=overdue", headers=token("provider_manager")).json()
    assert {i["case_id"]: i["first_contact_due_on"] for i in page["items"]} == {
        waiting: "2026-12-08",
        colleagues: "2026-12-08",
    }

    view = client.get(f"/cases/{waiting}", headers=token()).json()
    assert view["first_contact"] == {"due_on": "2026-12-08", "made_on": None, "met": None, "is_overdue": True}
    view = client.get(f"/cases/{tried}", headers=token()).json()
    assert view["first_contact"] == {"due_on": "2026-12-08", "made_on": "2026-12-07", "met": True, "is_overdue": False}


def test_a_bad_first_contact_filter_is_422_and_another_workers_list_403(client, token, open_case):
    open_case()
    bad = client.get("/cases?first_contact=soon", headers=token())
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "first_contact"]
    assert client.get(f"/cases?first_contact=due&link_worker_id={COLLEAGUE}", headers=token()).status_code == 403
    assert client.get("/cases?first_contact=due", headers=token("referrer")).status_code == 403
