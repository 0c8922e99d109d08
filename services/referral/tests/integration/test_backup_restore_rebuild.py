"""`linkwell backup referral`, `linkwell restore referral` into a fresh database, `linkwell rebuild
referral`: the restored service gives the same answers, and its schema revisions come back with it
(the version table is in the backup, so its next start applies nothing again)."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from referral_testkit import VALID_NHS, referral_body

from linkwell_runtime import cli, migrations
from linkwell_runtime.testing import query
from referral.entrypoints.api import create_app

SOURCES = migrations.sources("referral.adapters.sql")


def answers(client: TestClient, token) -> dict:
    operator = token("operator")
    listed = client.get("/referrals", params={"page_size": 100}, headers=operator).json()
    return {
        "referrals": listed,
        "one": client.get(f"/referrals/{listed['items'][0]['referral_id']}", headers=operator).json(),
        "practices": client.get("/practices", headers=operator).json(),
        "link_workers": client.get("/link-workers", headers=operator).json(),
    }


def test_a_backup_restored_into_a_fresh_database_and_rebuilt_answers_the_same(
    client, token, settings, database_factory, kafka_bootstrap, monkeypatch, capsys, tmp_path
):
    for n in VALID_NHS[:3]:
        assert client.post("/referrals", json=referral_body(nhs_number=n), headers=token()).status_code == 201
    before = answers(client, token)
    revisions = query(settings.database_url, "SELECT migration_id FROM _yoyo_migration ORDER BY migration_id")
    dump = tmp_path / "referral.dump"
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    monkeypatch.setenv("REFERRAL_CONSUMER_NAME", f"restore-{uuid.uuid4().hex[:8]}")  # not running
    monkeypatch.setenv("REFERRAL_DATABASE_URL", settings.database_url)
    assert cli.main(["backup", "referral", "--file", str(dump)]) == cli.OK

    fresh = database_factory()
    monkeypatch.setenv("REFERRAL_DATABASE_URL", fresh)
    assert cli.main(["restore", "referral", str(dump), "--yes"]) == cli.OK
    assert query(fresh, "SELECT migration_id FROM _yoyo_migration ORDER BY migration_id") == revisions
    assert all(not r.pending for r in migrations.status(fresh, SOURCES))
    query(fresh, "DELETE FROM referrals RETURNING 1")  # the read model is what a rebuild makes again
    capsys.readouterr()
    assert cli.main(["rebuild", "referral"]) == cli.OK
    rebuilt = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rebuilt["referrals"] == 3 and rebuilt["events"] == rebuilt["applied"] > 0

    applied_before = query(fresh, "SELECT count(*) FROM _yoyo_log")
    restored = settings.model_copy(update={"database_url": fresh, "seed_reference_data": False})
    with TestClient(create_app(restored)) as again:
        assert answers(again, token) == before
    assert query(fresh, "SELECT count(*) FROM _yoyo_log") == applied_before  # its start applied nothing
