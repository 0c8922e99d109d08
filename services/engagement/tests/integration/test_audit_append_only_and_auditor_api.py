"""The case-text audit as deployed (docs/security.md §4, §11): engagement runs as its service role,
which writes and reads `access_audit` rows but can never change or empty them; an auditor reads and
exports them through `GET /audit` and `GET /audit.csv`; every other role is refused."""

from __future__ import annotations

import csv
import io

import psycopg2
import pytest
from engagement_testkit import contact_body

from engagement.bootstrap import prepare_database
from engagement.config import Settings
from linkwell_runtime.testing import cursor, query

GOAL = "Walk to the park with her sister"


@pytest.fixture
def settings(role_database) -> Settings:
    """Engagement on its service role (API and consumer handler); the schema owner migrates."""
    prepare_database(role_database.service_url, role_database.owner_url)
    return Settings(
        database_url=role_database.service_url,
        database_owner_url=role_database.owner_url,
        environment="test",
        engagement_topic="linkwell.engagement.test-unused",
    )


def read_case_texts(client, token, open_case, sub: str) -> str:
    case_id = open_case()
    holder = token()
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=holder).status_code == 201
    goal = client.post(
        f"/cases/{case_id}/goals", json={"description": GOAL, "star_areas": ["lifestyle"]}, headers=holder
    )
    assert goal.status_code == 201, goal.text
    view = client.get(f"/cases/{case_id}", headers=token(sub=sub))
    assert view.status_code == 200 and view.json()["goals"][0]["description"] == GOAL
    return str(case_id)


def test_the_service_role_cannot_change_or_empty_the_audit(client, token, open_case, role_database):
    read_case_texts(client, token, open_case, sub="lw-ann")
    for statement in ("UPDATE access_audit SET fields = '{}'", "DELETE FROM access_audit", "TRUNCATE access_audit"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege), cursor(role_database.service_url) as cur:
            cur.execute(statement)
    assert query(role_database.service_url, "SELECT subject, action FROM access_audit") == [
        ("lw-ann", "read_case_text")
    ]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), cursor(role_database.service_url) as cur:
        cur.execute("TRUNCATE case_texts")  # a rebuild's TRUNCATE runs with the owner's credentials


def test_an_auditor_reads_and_exports_the_case_text_reads(client, token, open_case):
    first = read_case_texts(client, token, open_case, sub="lw-ann")
    read_case_texts(client, token, open_case, sub="@lw-bob")
    auditor = token("auditor")
    page = client.get("/audit", params={"action": "read_case_text"}, headers=auditor)
    assert page.status_code == 200, page.text
    assert [(r["subject"], r["role"]) for r in page.json()["items"]] == [
        ("lw-ann", "link_worker"),
        ("@lw-bob", "link_worker"),
    ]
    assert page.json()["items"][0]["referral_id"] == first
    assert "goal_description" in page.json()["items"][0]["fields"]
    exported = client.get("/audit.csv", headers=auditor)
    assert exported.status_code == 200
    assert [r["subject"] for r in csv.DictReader(io.StringIO(exported.text))] == ["lw-ann", "'@lw-bob"]


def test_other_roles_are_refused_the_audit(client, token, open_case):
    read_case_texts(client, token, open_case, sub="lw-ann")
    for headers in (token(), token("provider_manager"), token("service"), token("operator"), token("finance")):
        for path in ("/audit", "/audit.csv"):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 403, answer.text
            assert "lw-ann" not in answer.text


def test_the_auditor_reads_no_case_of_its_own(client, token, open_case):
    case_id = read_case_texts(client, token, open_case, sub="lw-ann")
    auditor = token("auditor")
    for path in ("/cases", f"/cases/{case_id}", "/safeguarding-concerns", "/caseload/attention"):
        answer = client.get(path, headers=auditor)
        assert answer.status_code == 403, (path, answer.status_code, answer.text)
        assert GOAL not in answer.text
