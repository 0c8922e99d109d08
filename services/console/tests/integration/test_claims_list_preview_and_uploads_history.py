"""The Claims page lists the closed claims, each linking to it; the close page shows the reporting
service's exact preview (what closing stores); the uploads page shows the accepted uploads."""

from __future__ import annotations

import json
import re

from console_testkit import bearer, csrf, sign_in

from console.config import Settings

SECRET = Settings().jwt_secret


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def _pence(html: str, table_id: str) -> list[int]:
    return [int(p) for p in re.findall(r'data-pence="(-?\d+)"', _table(html, table_id))]


def test_the_preview_is_the_claim_closing_then_stores(console, apis, seeded):
    sign_in(console, "finance")
    api_preview = apis["reporting"].get("/claims/2025-06/preview", headers=bearer("finance", SECRET))
    assert api_preview.status_code == 200
    expected = json.loads(api_preview.content)
    page = console.get("/claims/close", params={"period": "2025-06"})
    assert page.status_code == 200
    assert _pence(page.text, "preview-lines") == [line["amount"] for line in expected["lines"]]
    assert _pence(page.text, "preview-adjustments") == [line["amount"] for line in expected["adjustments"]]
    assert "Nothing has been stored yet" in page.text
    assert apis["reporting"].get("/claims", headers=bearer("finance", SECRET)).json() == {"items": []}
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    form = {"period": "2025-06", "csrf_token": csrf(page), "idempotency_key": key, "confirm": "yes"}
    closed = console.post("/claims/close", data=form)
    assert closed.status_code == 200 and "Claim for 2025-06" in closed.text
    stored = apis["reporting"].get("/claims/2025-06", headers=bearer("finance", SECRET))
    assert stored.content == api_preview.content  # the reporting service's clock did not move: same bytes
    assert _pence(closed.text, "claim-lines") == _pence(page.text, "preview-lines")
    preview_total = re.search(r'id="preview-total">([^<]+)<', page.text).group(1)
    assert re.search(r'id="claim-total">([^<]+)<', closed.text).group(1) == preview_total


def test_the_claims_page_lists_the_closed_claims_newest_first_each_linking_to_it(console, apis, seeded):
    sign_in(console, "finance")
    empty = console.get("/claims")
    assert empty.status_code == 200 and "No claim has been closed yet" in _table(empty.text, "closed-claims")
    for period in ("2025-06", "2025-07"):
        answer = apis["reporting"].post("/claims", json={"period": period}, headers=bearer("finance", SECRET))
        assert answer.status_code == 201
    page = console.get("/claims")
    listed = _table(page.text, "closed-claims")
    assert re.findall(r'<a href="/claims/(\d{4}-\d\d)">', listed) == ["2025-07", "2025-06"]
    summaries = apis["reporting"].get("/claims", headers=bearer("finance", SECRET)).json()["items"]
    assert _pence(page.text, "closed-claims") == [s["totals"]["amount"] for s in summaries]
    assert console.get("/claims/2025-06").status_code == 200


def test_a_preview_the_reporting_service_refuses_is_shown_beside_the_month(console, seeded):
    sign_in(console, "finance")
    future = console.get("/claims/close", params={"period": "2030-01"})
    assert future.status_code == 409 and "has not ended" in future.text and 'id="closed-claims"' in future.text
    malformed = console.get("/claims/close", params={"period": "2025-13"})
    assert malformed.status_code == 422


def test_the_uploads_page_shows_every_accepted_upload_newest_first(console, seeded):
    sign_in(console, "operator")  # commissioner data is finance's alone
    assert console.get("/uploads").status_code == 403
    sign_in(console, "finance")
    page = console.get("/uploads")
    assert page.status_code == 200 and "No upload has been accepted yet" in _table(page.text, "upload-history")
    activity = (
        "nhs_number,activity_type,activity_date,cost_pence\n9434765919,admission,2025-04-02,150000\n"
        "9434765870,ae,2025-04-03,20000\n"
    )
    files = {"file": ("activity.csv", activity.encode(), "text/csv")}
    first = console.post("/uploads", data={"kind": "hospital-activity", "csrf_token": csrf(page)}, files=files)
    assert first.status_code == 201
    costs = {"file": ("costs.csv", b"quarter,per_head_cost_pence\n2025Q1,1000\n", "text/csv")}
    second = console.post("/uploads", data={"kind": "comparison-costs", "csrf_token": csrf(page)}, files=costs)
    assert second.status_code == 201
    rows = re.findall(r"<tr data-upload-id=\"[^\"]+\">(.*?)</tr>", _table(second.text, "upload-history"))
    assert len(rows) == 2
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]
    assert cells[0][1:6] == ["Comparison costs", "1", "0", "0", "2025Q1"]
    assert cells[1][1:6] == ["Hospital activity", "1", "1", "0", "–"]
    assert "9434765919" not in _table(second.text, "upload-history")
