"""`ledger_totals` (reporting-0007) is kept by triggers on `ledger_lines`: they run with the privileges
of whoever writes the lines, so the consumer's service role (rows only, docs/security.md §11) must be
able to keep them, and the schema owner's TRUNCATE (a rebuild) must empty them too."""

from __future__ import annotations

import json
import uuid
from contextlib import closing
from datetime import UTC, datetime

import psycopg2

from reporting.bootstrap import prepare_database

RECORD = {"amount": 20000, "payer_shares": [["ccg", 14000], ["cbo", 4000], ["sof", 2000]]}
KNOWN_FROM = datetime(2024, 1, 2, tzinfo=UTC)
PROVIDER = uuid.uuid4()


def _add_line(cur, item: str) -> None:
    cur.execute(
        "INSERT INTO ledger_lines (unit, item, valid_from, valid_to, payable, kind, outcome_id, on_date,"
        " provider_id, record) VALUES (%s, %s, %s, NULL, tstzrange(%s, NULL), 'W', %s, '2024-01-01', %s, %s)",
        (f"case|{item}", item, KNOWN_FROM, KNOWN_FROM, uuid.uuid4(), PROVIDER, json.dumps(RECORD)),
    )


def _kept(cur) -> list[tuple]:
    cur.execute("SELECT provider, known_to = 'infinity', lines, pence FROM ledger_totals")
    return cur.fetchall()


def test_the_service_role_keeps_the_totals_and_the_owners_truncate_empties_them(role_database):
    prepare_database(role_database.service_url, role_database.owner_url)
    with closing(psycopg2.connect(role_database.service_url)) as conn, conn, conn.cursor() as cur:
        _add_line(cur, "W|a")
        _add_line(cur, "W|b")
        assert _kept(cur) == [(str(PROVIDER), True, 2, 40000)]  # one row: same date, range, provider, split
        cur.execute("DELETE FROM ledger_lines WHERE item = 'W|a'")
        assert _kept(cur) == [(str(PROVIDER), True, 1, 20000)]
        cur.execute("DELETE FROM ledger_lines")
        assert _kept(cur) == []
        _add_line(cur, "W|c")
    with closing(psycopg2.connect(role_database.owner_url)) as conn, conn, conn.cursor() as cur:
        cur.execute("TRUNCATE ledger_lines")
        assert _kept(cur) == []
