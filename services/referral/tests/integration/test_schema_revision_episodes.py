"""Revision referral-0005 (docs/architecture.md §3.10) on a database with a referral in it: the
referral made before it comes out as episode 1, never corrected, and the service answers over it."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from linkwell_runtime import migrations
from linkwell_runtime.testing import cursor, query
from referral.entrypoints.api import create_app

SOURCES = migrations.sources("referral.adapters.sql")


@pytest.fixture
def database_url(database_factory) -> str:
    """An empty database: these tests take it through the revisions themselves."""
    return database_factory()


def test_a_referral_stored_before_revision_5_is_episode_one_after_it(database_url, settings, token):
    migrations.migrate(database_url, SOURCES, target="referral-0004-wrapped-patient-keys")
    referral_id = uuid.uuid4()
    with cursor(database_url) as cur:  # a row as the service wrote it at revision 4
        cur.execute(
            "INSERT INTO referrals (referral_id, patient_id, status, status_since, practice_ods_code, referrer_name,"
            " referrer_role, referred_on, age_at_referral, sex, conditions, mental_health, eligible, sealed, received_at)"
            " VALUES (%s, %s, 'declined', '2024-06-05', 'A85001', 'Dr A Khan', 'gp', '2024-06-03', 59, 'female',"
            " '{copd}', '{}', true, '{}', now())",
            (referral_id, uuid.uuid4()),
        )
    pending = [r.id for r in migrations.status(database_url, SOURCES) if r.pending]
    assert pending[0] == "referral-0005-episodes-and-entry-corrections"  # and any later revision
    with TestClient(create_app(settings)) as client:  # its start applies revision 5
        answer = client.get("/referrals", headers=token("operator"))
    assert answer.status_code == 200, answer.text
    [item] = answer.json()["items"]
    assert (item["referral_id"], item["episode"], item["entries_correction"]) == (
        str(referral_id),
        {"number": 1, "previous": None},
        None,
    )
    assert query(database_url, "SELECT episode_number, earlier_episodes FROM referrals") == [(1, [])]
