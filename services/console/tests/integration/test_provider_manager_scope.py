"""A provider manager sees their own organisation on every ledger page: another organisation's line is
not shown (the reporting API answers 404 for it, and the page says so), what changed covers only
their lines, and the downloads hold only their lines."""

from __future__ import annotations

import csv
import io
import re

from console_testkit import CORRECTION_AFTER, CORRECTION_BEFORE, csrf, sign_in

AS_OF = "2025-12-31"


def _outcome_ids(console, **params) -> list[str]:
    page = console.get("/payable", params={"as_of": AS_OF, **params})
    assert page.status_code == 200
    return re.findall(r'<tr data-outcome-id="([^"]+)"', page.text)


def _as_manager(console, provider_id: str) -> None:
    page = console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": f"manager:{provider_id}", "csrf_token": csrf(page)})
    assert answer.status_code == 200


def test_a_provider_manager_cannot_open_another_organisations_line(console, seeded):
    sign_in(console, "finance")
    theirs = _outcome_ids(console, provider=seeded.provider_a, known_at=CORRECTION_BEFORE)
    own = _outcome_ids(console, provider=seeded.provider_b)
    assert len(theirs) == 2 and len(own) == 1
    console.post("/sign-out", data={"csrf_token": csrf(console.get("/"))})
    _as_manager(console, seeded.provider_b)
    for outcome_id in theirs:
        refused = console.get(f"/payable/{outcome_id}", params={"as_of": AS_OF, "known_at": CORRECTION_BEFORE})
        assert refused.status_code == 404 and 'id="why"' not in refused.text and 'id="evidence"' not in refused.text
        assert "days after the baseline" not in refused.text
    mine = console.get(f"/payable/{own[0]}", params={"as_of": AS_OF})
    assert mine.status_code == 200 and "days after the baseline" in mine.text


def test_what_changed_shows_a_provider_manager_only_their_organisations_lines(console, seeded):
    params = {"as_of": AS_OF, "before": CORRECTION_BEFORE, "after": CORRECTION_AFTER}
    _as_manager(console, seeded.provider_b)  # the correction is in provider A's case
    b = console.get("/changes", params=params)
    assert b.status_code == 200 and "0 added, 0 removed, 0 changed" in b.text and "£0.00" in b.text
    assert str(seeded.corrected_case.patient_id) not in b.text
    console.post("/sign-out", data={"csrf_token": csrf(b)})
    _as_manager(console, seeded.provider_a)
    a = console.get("/changes", params=params)
    assert "0 added, 1 removed, 0 changed" in a.text
    assert str(seeded.corrected_case.patient_id) in a.text.split('id="removed"', 1)[1]


def test_a_provider_managers_download_holds_only_their_lines(console, seeded):
    sign_in(console, "finance")
    own = _outcome_ids(console, provider=seeded.provider_b)
    assert len(_outcome_ids(console)) > len(own) == 1
    console.post("/sign-out", data={"csrf_token": csrf(console.get("/"))})
    _as_manager(console, seeded.provider_b)
    rows = list(csv.DictReader(io.StringIO(console.get("/payable.csv", params={"as_of": AS_OF}).text)))
    assert [r["outcome_id"] for r in rows] == own
    asked_for_a = console.get("/payable.csv", params={"as_of": AS_OF, "provider": seeded.provider_a})
    if asked_for_a.status_code == 200:  # narrowed to nothing: a real CSV with its header and no line
        assert asked_for_a.headers["content-type"].startswith("text/csv")
        assert "outcome_id" in asked_for_a.text.splitlines()[0]
        assert list(csv.DictReader(io.StringIO(asked_for_a.text))) == []
    else:
        assert asked_for_a.status_code == 403
