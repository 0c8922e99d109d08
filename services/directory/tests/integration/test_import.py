"""Import of an ORUK 3.0 dump (pages saved to disk) as a bulk publish."""

from __future__ import annotations

import json
import uuid

from directory.entrypoints.import_oruk import main


def strip_modified(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "last_modified"}


def test_saved_pages_of_an_oruk_api_import_as_published_services(
    seeded_client, client, settings, tmp_path, monkeypatch
):
    pages = tmp_path / "dump"
    pages.mkdir()
    originals = {}
    for number in (1, 2):
        page = seeded_client.get("/services", params={"page": number, "per_page": 5}).json()
        full = [seeded_client.get(f"/services/{s['id']}").json() for s in page["contents"]]
        originals |= {s["id"]: s for s in full}
        (pages / f"page-{number}.json").write_text(json.dumps(page | {"contents": full}))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DIRECTORY_TOPIC", settings.directory_topic)

    assert main([str(pages)]) == 0
    for sid, original in originals.items():
        assert strip_modified(client.get(f"/services/{sid}").json()) == strip_modified(original)
    assert client.get("/services").json()["total_items"] == 10

    assert main([str(pages / "page-1.json")]) == 0  # importing again updates, never duplicates
    assert client.get("/services").json()["total_items"] == 10


def test_a_bad_record_is_reported_and_the_rest_still_import(client, settings, tmp_path, monkeypatch, capsys):
    org = {"id": str(uuid.uuid4()), "name": "Imported org", "description": "d"}
    good = {
        "id": str(uuid.uuid4()),
        "name": "Good",
        "status": "active",
        "organization_id": org["id"],
        "organization": org,
    }
    bad = {
        "id": str(uuid.uuid4()),
        "name": "Bad",
        "status": "closed",
        "organization_id": org["id"],
        "organization": org,
    }
    dump = tmp_path / "services.json"
    dump.write_text(json.dumps([bad, good]))
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main([str(dump)]) == 1
    assert bad["id"] in capsys.readouterr().err
    assert client.get(f"/services/{good['id']}").status_code == 200
    assert client.get(f"/services/{bad['id']}").status_code == 404
