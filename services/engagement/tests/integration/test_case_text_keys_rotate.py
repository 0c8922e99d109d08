"""`linkwell keys status|rotate engagement`: the case-text keys, wrapped by the KEK, are re-wrapped under
a new one (the runtime's rotation, as referral's patient keys) and every note still opens with the new
KEK alone; an erased case's shredded key is counted, not re-wrapped."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from engagement.config import Settings
from engagement.entrypoints.api import create_app
from linkwell_runtime import cli
from linkwell_runtime.key_wrapping import new_kek_entry
from linkwell_runtime.testing import cursor

OLD_KEK, NEW_KEK = new_kek_entry("2025-01"), new_kek_entry("2026-06")


def _with_kek(settings: Settings, kek: str) -> Settings:
    return Settings(
        database_url=settings.database_url,
        environment="test",
        patient_kek=kek,
        engagement_topic=settings.engagement_topic,
    )


def _note(client, token, case_id, note: str, day: str) -> None:
    answer = client.post(
        f"/cases/{case_id}/contact-attempts",
        json={"occurred_at": f"{day}T10:00:00+01:00", "note": note},
        headers=token(),
    )
    assert answer.status_code == 201, answer.text


def test_rotation_rewraps_every_case_key_and_every_note_still_opens(
    settings, clock, open_case, token, monkeypatch, capsys
):
    cases = [open_case() for _ in range(3)]
    with TestClient(create_app(_with_kek(settings, OLD_KEK), clock)) as old:
        for n, case_id in enumerate(cases):
            _note(old, token, case_id, f"note {n}", "2024-06-20")
    monkeypatch.setenv("ENGAGEMENT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("PATIENT_KEK", f"{NEW_KEK},{OLD_KEK}")  # the new KEK first, the old one still accepted

    assert cli.main(["keys", "status", "engagement"]) == cli.ATTENTION  # 3 keys under the old KEK
    assert cli.main(["keys", "rotate", "engagement"]) == cli.OK
    out = capsys.readouterr()
    assert '"rewrapped": 3' in out.out and "3 key(s) to wrap under KEK 2026-06" in out.err
    assert cli.main(["keys", "status", "engagement"]) == cli.OK
    with cursor(settings.database_url) as cur:
        cur.execute("SELECT DISTINCT kek_id FROM case_text_keys")
        assert cur.fetchall() == [("2026-06",)]

    with TestClient(create_app(_with_kek(settings, NEW_KEK), clock)) as new_only:
        for n, case_id in enumerate(cases):
            attempts = new_only.get(f"/cases/{case_id}", headers=token()).json()["contact_attempts"]
            assert [a["note"] for a in attempts] == [f"note {n}"]


def test_a_shredded_case_key_is_counted_and_left_alone(settings, clock, open_case, token, monkeypatch, capsys):
    case_id = open_case()
    with TestClient(create_app(_with_kek(settings, OLD_KEK), clock)) as old:
        _note(old, token, case_id, "to be forgotten", "2024-06-20")
    with cursor(settings.database_url) as cur:  # as an erasure leaves it (case_texts.erase_patient_texts)
        cur.execute(
            "UPDATE case_text_keys SET kek_id = NULL, wrapped_key = NULL, shredded_at = now() WHERE case_id = %s",
            (uuid.UUID(str(case_id)),),
        )
    monkeypatch.setenv("ENGAGEMENT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("PATIENT_KEK", NEW_KEK)

    assert cli.main(["keys", "rotate", "engagement"]) == cli.OK
    assert '"rewrapped": 0' in capsys.readouterr().out
    assert cli.main(["keys", "status", "engagement", "--json"]) == cli.OK
    assert '"shredded": 1' in capsys.readouterr().out
