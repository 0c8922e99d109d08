"""The access audit as deployed (docs/security.md §4, §11): the service runs as its service role, which
may write and read audit rows but never change or empty them (nor TRUNCATE anything or change the
schema); the schema owner migrates; an auditor reads (`GET /audit`) and exports (`GET /audit.csv`) the
rows, every other role is refused; a service with only its own role refuses to start on an old schema."""

from __future__ import annotations

import csv
import io
import json
import uuid

import psycopg2
import pytest
from fastapi.testclient import TestClient
from referral_testkit import VALID_NHS, referral_body

from linkwell_runtime import cli, migrations
from linkwell_runtime.testing import cursor, query
from referral.bootstrap import SCHEMA, bootstrap
from referral.config import Settings
from referral.entrypoints.api import create_app

EVERY_OTHER_ROLE = ["referrer", "link_worker", "provider_manager", "finance", "operator", "service"]


@pytest.fixture
def settings(role_database) -> Settings:
    """The API on its service role; the schema owner's URL for the migrations at start."""
    return Settings(
        database_url=role_database.service_url,
        database_owner_url=role_database.owner_url,
        environment="test",
        referral_topic="linkwell.referral.test-unused",
    )


def read_a_referral(client, token, sub: str = "dr-khan", nhs: str = VALID_NHS[0]) -> dict:
    created = client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token())
    assert created.status_code == 201, created.text
    view = client.get(f"/referrals/{created.json()['referral_id']}", headers=token(sub=sub))
    assert view.status_code == 200
    return created.json()


def refused(dsn: str, statement: str) -> str:
    """The error PostgreSQL answers the statement with (it must be refused)."""
    with pytest.raises(psycopg2.Error) as caught, cursor(dsn) as cur:
        cur.execute(statement)
    return type(caught.value).__name__


def test_the_service_role_writes_and_reads_audit_rows_but_cannot_change_or_empty_them(client, token, role_database):
    read_a_referral(client, token)
    service = role_database.service_url
    assert [row[0] for row in query(service, "SELECT action FROM access_audit")] == ["read_identifiable"]
    for statement in (
        "UPDATE access_audit SET subject = 'someone-else'",
        "DELETE FROM access_audit",
        "TRUNCATE access_audit",
    ):
        assert refused(service, statement) == "InsufficientPrivilege", statement
    assert [row[0] for row in query(service, "SELECT subject FROM access_audit")] == ["dr-khan"]  # unchanged


def test_the_service_role_has_rows_only_never_truncate_the_schema_or_its_version(client, role_database):
    service = role_database.service_url
    assert refused(service, "TRUNCATE referrals") == "InsufficientPrivilege"
    assert refused(service, "CREATE TABLE smuggled (x int)") == "InsufficientPrivilege"
    assert refused(service, "ALTER TABLE referrals ADD COLUMN smuggled int") == "InsufficientPrivilege"
    assert refused(service, "DELETE FROM _yoyo_migration") == "InsufficientPrivilege"
    assert refused(service, "CREATE TEMPORARY TABLE scratch (x int)") == "InsufficientPrivilege"
    owner = query(service, "SELECT tableowner FROM pg_tables WHERE tablename = 'access_audit'")
    assert owner == [(role_database.owner,)]


def test_an_auditor_reads_the_audit_filtered_and_paged(client, token):
    first = read_a_referral(client, token, sub="dr-khan")
    read_a_referral(client, token, sub="dr-patel", nhs=VALID_NHS[1])
    auditor = token("auditor")
    page = client.get("/audit", headers=auditor)
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["total"] == 2 and body["page"] == 1
    assert [(r["subject"], r["role"], r["action"]) for r in body["items"]] == [
        ("dr-khan", "referrer", "read_identifiable"),
        ("dr-patel", "referrer", "read_identifiable"),
    ]
    assert body["items"][0]["referral_id"] == first["referral_id"]
    assert "nhs_number" in body["items"][0]["fields"]
    by_subject = client.get("/audit", params={"subject": "dr-patel"}, headers=auditor).json()
    assert [r["subject"] for r in by_subject["items"]] == ["dr-patel"]
    patient = body["items"][0]["patient_id"]
    by_patient = client.get("/audit", params={"patient_id": patient, "action": "read_identifiable"}, headers=auditor)
    assert [r["subject"] for r in by_patient.json()["items"]] == ["dr-khan"]
    paged = client.get("/audit", params={"page": 2, "page_size": 1}, headers=auditor).json()
    assert [r["subject"] for r in paged["items"]] == ["dr-patel"] and paged["total"] == 2
    later = body["items"][1]["at"]
    since = client.get("/audit", params={"from": later}, headers=auditor).json()
    assert [r["subject"] for r in since["items"]] == ["dr-patel"]
    before = client.get("/audit", params={"to": later}, headers=auditor).json()
    assert [r["subject"] for r in before["items"]] == ["dr-khan"]
    naive = client.get("/audit", params={"from": "2024-06-03T10:00:00"}, headers=auditor)
    assert naive.status_code == 422  # a time without its offset is ambiguous


def test_an_auditor_exports_every_row_as_csv_with_formulas_neutralised(client, token):
    read_a_referral(client, token, sub='=HYPERLINK("http://x")')
    read_a_referral(client, token, sub="dr-patel", nhs=VALID_NHS[1])
    answer = client.get("/audit.csv", headers=token("auditor"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["subject"] for r in rows] == ['\'=HYPERLINK("http://x")', "dr-patel"]
    assert rows[0]["action"] == "read_identifiable" and "nhs_number" in rows[0]["fields"].split(" ")
    filtered = client.get("/audit.csv", params={"subject": "dr-patel"}, headers=token("auditor"))
    assert [r["subject"] for r in csv.DictReader(io.StringIO(filtered.text))] == ["dr-patel"]


def test_every_other_role_is_refused_the_audit_and_anonymous_callers_are_unauthorised(client, token):
    read_a_referral(client, token)
    for role in EVERY_OTHER_ROLE:
        scope = {"provider_id": str(uuid.uuid4())} if role in ("link_worker", "provider_manager") else {}
        if role == "link_worker":
            scope["link_worker_id"] = str(uuid.uuid4())
        for path in ("/audit", "/audit.csv"):
            answer = client.get(path, headers=token(role, **scope))
            assert answer.status_code == 403, (role, path, answer.text)
            assert "dr-khan" not in answer.text
    assert client.get("/audit").status_code == 401
    assert client.get("/audit.csv").status_code == 401


def test_with_only_its_service_role_the_service_refuses_to_start_on_an_old_schema(role_database):
    packages = migrations.sources(SCHEMA)
    ids = [m.id for m in migrations.revisions(packages)]
    newer = ids[ids.index("referral-0006-audit-append-only") :]
    migrations.migrate(role_database.owner_url, packages, target=ids[len(ids) - len(newer) - 1])
    only_service = Settings(database_url=role_database.service_url, environment="test")
    with pytest.raises(migrations.SchemaBehind) as refusal:
        bootstrap(only_service)
    message = str(refusal.value)
    assert "referral-0006-audit-append-only" in message and "linkwell migrate" in message
    assert role_database.service in message
    assert [r.id for r in migrations.status(role_database.owner_url, packages) if r.pending] == newer  # unchanged
    migrations.migrate(role_database.owner_url, packages)  # what `linkwell migrate referral` does
    with TestClient(create_app(only_service)) as client:
        assert client.get("/ready").status_code in (200, 503)  # it started (readiness also asks Kafka)


def test_the_auditor_reads_no_referral_patient_or_reference_data_of_its_own(client, token):
    created = read_a_referral(client, token)
    auditor = token("auditor")
    for path in (
        "/referrals",
        f"/referrals/{created['referral_id']}",
        f"/referrals/{created['referral_id']}/discharge-summary",
        "/referrals/unserved",
    ):
        answer = client.get(path, headers=auditor)
        assert answer.status_code == 403, (path, answer.status_code, answer.text)
        assert "Joan" not in answer.text
    erasure = client.post(f"/patients/{created['patient_id']}/erasure", headers=auditor)
    assert erasure.status_code == 403


def test_the_owner_backs_up_restores_and_rebuilds_and_the_restored_audit_stays_append_only(
    client, token, role_database, role_database_factory, kafka_bootstrap, monkeypatch, capsys, tmp_path
):
    read_a_referral(client, token)
    dump = tmp_path / "referral.dump"
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    monkeypatch.setenv("REFERRAL_CONSUMER_NAME", f"restore-{uuid.uuid4().hex[:8]}")  # not running
    monkeypatch.setenv("REFERRAL_DATABASE_URL", role_database.service_url)
    monkeypatch.setenv("REFERRAL_DATABASE_OWNER_URL", role_database.owner_url)
    assert cli.main(["backup", "referral", "--file", str(dump)]) == cli.OK
    fresh = role_database_factory()
    monkeypatch.setenv("REFERRAL_DATABASE_URL", fresh.service_url)
    monkeypatch.setenv("REFERRAL_DATABASE_OWNER_URL", fresh.owner_url)
    assert cli.main(["restore", "referral", str(dump), "--yes"]) == cli.OK
    assert cli.main(["migrate", "referral", "--status"]) == cli.OK  # nothing pending
    assert refused(fresh.service_url, "UPDATE access_audit SET subject = 'someone-else'") == "InsufficientPrivilege"
    assert refused(fresh.service_url, "DELETE FROM access_audit") == "InsufficientPrivilege"
    assert [row[0] for row in query(fresh.service_url, "SELECT subject FROM access_audit")] == ["dr-khan"]
    capsys.readouterr()
    assert cli.main(["rebuild", "referral"]) == cli.OK  # empties the read models: the owner's TRUNCATE
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["referrals"] == 1
    only_service = Settings(database_url=fresh.service_url, environment="test", seed_reference_data=False)
    with TestClient(create_app(only_service)) as restored:
        assert restored.get("/audit", headers=token("auditor")).json()["total"] == 1
