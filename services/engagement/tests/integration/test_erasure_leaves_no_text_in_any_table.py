"""Erasure reaches every engagement table: after `PatientErased`, a dump of the whole database (events,
outbox, idempotency answers, audit rows, read models) holds none of the free text typed for the
patient's case, while the case's events stay."""

from __future__ import annotations

import subprocess
import uuid

from engagement_testkit import consume, contact_body, erasure_envelope

from linkwell_runtime.testing import query


def dump(database_url: str) -> str:
    return subprocess.run(
        ["pg_dump", "--data-only", "--dbname", database_url], check=True, capture_output=True, text=True
    ).stdout


def test_no_table_keeps_the_erased_patients_free_text(client, token, open_case, settings):
    patient = uuid.uuid4()
    case_id = open_case(patient_id=patient)
    marker = f"Zebediah-{uuid.uuid4().hex[:8]}"  # a word typed nowhere else
    headers = token() | {"Idempotency-Key": str(uuid.uuid4())}  # its stored answer is checked too
    assert client.post(f"/cases/{case_id}/contacts", json=contact_body(), headers=token()).status_code == 201
    goal = client.post(
        f"/cases/{case_id}/goals",
        headers=headers,
        json={
            "description": f"Visit {marker} at the allotment",
            "star_areas": ["lifestyle"],
            "agreed_on": "2024-06-05",
        },
    )
    assert goal.status_code == 201, goal.text
    attempt = client.post(
        f"/cases/{case_id}/contact-attempts",
        json={"occurred_at": "2024-06-20T10:00:00+01:00", "note": f"{marker} was out"},
        headers=token(),
    )
    assert attempt.status_code == 201, attempt.text
    before = client.get(f"/cases/{case_id}", headers=token())  # an audited read of the texts
    assert marker in before.text  # the texts are there until the erasure, sealed at rest
    assert marker not in dump(settings.database_url)
    events = query(settings.database_url, "SELECT count(*) FROM events")[0][0]

    erased = erasure_envelope(patient)
    consume(settings, [erased])

    assert marker not in dump(settings.database_url)
    assert marker not in client.get(f"/cases/{case_id}", headers=token()).text  # gone, not only unreadable
    assert query(settings.database_url, "SELECT count(*) FROM events")[0][0] == events
