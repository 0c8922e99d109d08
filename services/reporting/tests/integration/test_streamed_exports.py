"""The payable CSV and XLSX exports stream every line of the narrowed answer (not one page), in the
answer's order, read through a server-side cursor a batch at a time, with the whole answer's totals."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from test_payable_pages import AS_OF, _walk, _world

from linkwell_runtime.testing import cursor
from reporting.adapters import ledger_store

KNOWN_AT = "2026-01-01T00:00:00+00:00"


def test_the_csv_holds_every_line_of_the_narrowed_answer_in_its_order(settings, client, token):
    _world(settings, client, token)
    for params in (
        {},
        {"sort": "-amount"},
        {"provider_id": "00000000-0000-7000-8000-0000000000a1"},
        {"search": "2024Q1"},
    ):
        query = {"as_of": AS_OF, "known_at": KNOWN_AT, **params}
        paged, _ = _walk(client, token(), query | {"limit": 2})
        exported = client.get("/outcomes/payable", params=query | {"format": "csv", "limit": 2}, headers=token())
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert [r["outcome_id"] for r in rows] == [line["outcome_id"] for line in paged], params
        assert [int(r["amount"]) for r in rows] == [line["amount"] for line in paged]


def test_the_xlsx_totals_are_the_whole_answers(settings, client, token):
    _world(settings, client, token)
    query = {"as_of": AS_OF, "known_at": KNOWN_AT, "outcome_type": "W"}
    body = client.get("/outcomes/payable", params=query, headers=token()).json()
    book = load_workbook(
        io.BytesIO(client.get("/outcomes/payable", params=query | {"format": "xlsx"}, headers=token()).content)
    )
    assert book["lines"].max_row == 1 + body["page"]["total_lines"] == 10
    by_payer = {k: round(v * 100) for k, v in book["totals_by_payer"].iter_rows(min_row=2, values_only=True)}
    assert by_payer == body["totals"]["by_payer"]
    by_provider = {k: round(v * 100) for k, v in book["totals_by_provider"].iter_rows(min_row=2, values_only=True)}
    assert by_provider == body["totals"]["by_provider"]


def test_a_provider_managers_export_holds_only_their_providers_lines(settings, client, token):
    _world(settings, client, token)
    mine = token("provider_manager", provider_id="00000000-0000-7000-8000-0000000000a2")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/outcomes/payable", params={"as_of": AS_OF, "format": "csv"}, headers=mine).text)
        )
    )
    assert len(rows) == 4 and {r["provider_id"] for r in rows} == {"00000000-0000-7000-8000-0000000000a2"}


def test_the_lines_are_read_through_a_server_side_cursor_a_batch_at_a_time(settings, client, token):
    _world(settings, client, token)
    with cursor(settings.database_url) as cur:
        records = ledger_store.answer_records(
            cur, date.fromisoformat(AS_OF), datetime(2026, 1, 1, tzinfo=UTC), "achieved_on", batch=3
        )
        first = next(records)
        cur.execute("SELECT name FROM pg_cursors")
        assert [name for (name,) in cur.fetchall()] == ["ledger_answer"]  # open, on the server, mid-answer
        rest = list(records)
        cur.execute("SELECT count(*) FROM pg_cursors")
        assert cur.fetchone()[0] == 0
    # the S lines are not payable yet at that moment: their comparison cost was recorded in March 2026
    assert len([first, *rest]) == 9 and first["achieved_on"] <= rest[0]["achieved_on"]
