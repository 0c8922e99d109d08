"""Issue 13 item 8 over HTTP: a business date before the programme's start (2015-04-01, the earliest
rulebook) is refused in the commissioner's uploads with its row and field, and a fact no rulebook
covers that got in anyway does not take the ledger down: every question still answers 200, listing
it among the answer's `exceptions` (and only for its own provider's manager)."""

from __future__ import annotations

from datetime import date

from reporting_builders import PROVIDER_B
from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

CSV = {"Content-Type": "text/csv"}
NHS = "9434765919"


def _post(client, headers, path, text):
    return client.post(path, content=text.encode(), headers=headers | CSV)


def test_an_activity_dated_before_the_programme_is_refused_with_its_line_and_field(settings, client, token):
    case, _ = engaged_case(date(2024, 1, 2), date(2024, 1, 15), 40)
    consume(settings, referral_envelopes(case, date(2024, 1, 2), nhs_number=NHS) + case_envelopes(case))
    text = f"nhs_number,activity_type,activity_date,cost_pence\n{NHS},ae,2024-02-01,100\n{NHS},ae,2007-02-01,100\n"
    answer = _post(client, token(), "/commissioner/hospital-activity", text)
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["line"], error["field"], error["loc"]) == (3, "activity_date", ["body", "line", 3, "activity_date"])
    assert "2015-04-01" in error["msg"]
    assert query(settings, "SELECT count(*) FROM activity_rows") == [(0,)]


def test_a_comparison_quarter_before_the_programme_is_refused(settings, client, token):
    answer = _post(client, token(), "/commissioner/comparison-costs", "quarter,per_head_cost_pence\n2014Q4,100\n")
    assert answer.status_code == 422
    assert [(e["line"], e["field"]) for e in answer.json()["errors"]] == [(2, "quarter")]
    assert query(settings, "SELECT count(*) FROM comparison_costs") == [(0,)]


def test_a_star_back_entered_before_the_programme_is_listed_and_every_question_still_answers(settings, client, token):
    bad, _ = engaged_case(date(2024, 1, 2), date(2007, 1, 15), 20)  # 2007 typed for 2024
    good, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40, provider_id=PROVIDER_B)
    good.star(date(2025, 6, 10), 43)
    consume(settings, case_envelopes(bad) + case_envelopes(good))
    answer = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token("finance"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [line["provider_id"] for line in body["lines"]] == [str(PROVIDER_B)]
    [exception] = body["exceptions"]
    assert exception["kind"] == "no_rulebook_in_force" and exception["case_id"] == str(bad.case_id)
    assert (exception["field"], exception["on"]) == ("taken_on", "2007-01-15")
    assert exception["fact_id"] == str(bad.facts[1].event_id)
    assert "2015-04-01" in exception["reason"]
    own = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token("provider_manager"))
    other = client.get(
        "/outcomes/payable",
        params={"as_of": "2025-12-31"},
        headers=token("provider_manager", provider_id=str(PROVIDER_B)),
    )
    assert len(own.json()["exceptions"]) == 1 and "exceptions" not in other.json()
    for fmt in ("csv", "xlsx"):
        assert client.get("/outcomes/payable", params={"format": fmt}, headers=token("finance")).status_code == 200
