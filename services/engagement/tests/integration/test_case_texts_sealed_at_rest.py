"""Case texts are sealed at rest (docs/security.md): a note typed into a case is in no table in clear
(a dump of the database does not hold it), the case's API shows it opened, a text kept in clear by an
older revision is sealed when the service starts, and erasure destroys the case's key."""

from __future__ import annotations

import subprocess
import uuid

from engagement_testkit import consume, erasure_envelope
from fastapi.testclient import TestClient

from engagement.entrypoints.api import create_app
from linkwell_runtime.testing import cursor, query


def _dump(database_url: str) -> str:
    return subprocess.run(
        ["pg_dump", "--data-only", "--dbname", database_url], check=True, capture_output=True, text=True
    ).stdout


def _attempt(client, token, case_id, note: str | None, day: str = "2024-06-20") -> None:
    answer = client.post(
        f"/cases/{case_id}/contact-attempts",
        json={"occurred_at": f"{day}T10:00:00+01:00"} | ({"note": note} if note else {}),
        headers=token(),
    )
    assert answer.status_code == 201, answer.text


def _attempts(client, token, case_id) -> list[dict]:
    answer = client.get(f"/cases/{case_id}", headers=token())
    assert answer.status_code == 200, answer.text
    return answer.json()["contact_attempts"]


def _notes(client, token, case_id) -> list[str | None]:
    return [a["note"] for a in _attempts(client, token, case_id)]


def test_a_note_is_in_no_table_in_clear_and_the_case_shows_it(client, token, open_case, settings):
    case_id = open_case()
    marker = f"Zebediah-{uuid.uuid4().hex[:8]} was out"
    _attempt(client, token, case_id, marker)

    assert marker.split()[0] not in _dump(settings.database_url)
    assert query(settings.database_url, "SELECT body IS NULL, sealed ? 'ciphertext' FROM case_texts") == [(True, True)]
    [(wrapped,)] = query(settings.database_url, "SELECT wrapped_key IS NOT NULL FROM case_text_keys")
    assert wrapped
    assert _notes(client, token, case_id) == [marker]  # opened for the link worker


def test_a_text_kept_in_clear_before_sealing_is_sealed_at_start(client, token, open_case, settings, clock):
    case_id = open_case()
    _attempt(client, token, case_id, "sealed from the start")
    _attempt(client, token, case_id, None, day="2024-06-27")
    older = _attempts(client, token, case_id)[1]["attempt_id"]
    with cursor(settings.database_url) as cur:  # its note as revision engagement-0004 kept it, in clear
        cur.execute(
            "INSERT INTO case_texts (case_id, subject_id, kind, event_id, body, recorded_at)"
            " VALUES (%s, %s, 'attempt_note', %s, 'Rosalind-older-note', now())",
            (case_id, older, uuid.uuid4()),
        )

    with TestClient(create_app(settings, clock)) as restarted:
        assert _notes(restarted, token, case_id) == ["sealed from the start", "Rosalind-older-note"]

    assert query(settings.database_url, "SELECT count(*) FROM case_texts WHERE body IS NOT NULL") == [(0,)]
    assert "Rosalind-older-note" not in _dump(settings.database_url)


def test_erasure_destroys_the_cases_key_and_its_texts(client, token, open_case, settings):
    patient = uuid.uuid4()
    case_id = open_case(patient_id=patient)
    _attempt(client, token, case_id, "a note to forget")
    erased = erasure_envelope(patient)
    consume(settings, [erased])

    assert query(settings.database_url, "SELECT wrapped_key IS NULL, shredded_at IS NOT NULL FROM case_text_keys") == [
        (True, True)
    ]
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]
    _attempt(client, token, case_id, "typed after the erasure")  # recorded, its text not kept
    assert query(settings.database_url, "SELECT count(*) FROM case_texts") == [(0,)]
