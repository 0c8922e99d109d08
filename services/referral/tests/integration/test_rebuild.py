"""`referral.entrypoints.rebuild` (`linkwell rebuild referral`): the read model made again from the
event store is the read model the live writes made, whatever had happened to it since."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from referral_testkit import OTHER_PRACTICE, VALID_NHS, referral_body, with_allocation

from contracts.codec import encode
from contracts.engagement import CaseContacted
from linkwell_runtime.testing import query, scalar
from referral.entrypoints import rebuild
from referral.service_layer.case_events import apply_case_event

DERIVED = ("referrals", "practices", "providers", "link_workers")
KEPT = ("patient_keys", "access_audit", "ignored_case_events", "outbox")


def rows(dsn: str, tables: tuple[str, ...]) -> dict[str, list[str]]:
    def plain(row: tuple) -> str:
        return str(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))

    return {t: sorted(plain(r) for r in query(dsn, f"SELECT * FROM {t}")) for t in tables}


def test_a_rebuild_from_the_event_store_gives_the_live_read_model_back(client, token, settings):
    created = [
        with_allocation(
            client, token, client.post("/referrals", json=referral_body(nhs_number=n), headers=token()).json()
        )
        for n in VALID_NHS[:3]
    ]
    client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[3], conditions=[]), headers=token())  # ineligible
    client.post(f"/referrals/{created[0]['referral_id']}/decline", json={"reason": "other"}, headers=token())
    client.post(
        f"/referrals/{created[2]['referral_id']}/practice", json={"practice_ods_code": OTHER_PRACTICE}, headers=token()
    )
    operator = token("operator")
    client.patch("/practices/A85017", json={"name": "Newburn Surgery"}, headers=operator)
    worker = client.get("/link-workers", headers=operator).json()[0]
    client.patch(f"/link-workers/{worker['link_worker_id']}", json={"capacity": 41}, headers=operator)
    _contact(client, created[1])  # an event the consumer causes: in the same store
    dsn = settings.database_url
    live, kept = rows(dsn, DERIVED), rows(dsn, KEPT)
    assert len(live["referrals"]) == 4 and len(live["practices"]) == 17

    query(dsn, "DELETE FROM referrals WHERE referral_id = %s RETURNING 1", (created[1]["referral_id"],))
    query(dsn, "UPDATE practices SET name = 'drifted' RETURNING 1")
    query(dsn, "DELETE FROM link_workers RETURNING 1")
    assert rows(dsn, DERIVED) != live

    applied: list[int] = []
    total = rebuild.total_events(settings)
    result = rebuild.rebuild(settings, progress=applied.append)

    assert rows(dsn, DERIVED) == live and rows(dsn, KEPT) == kept
    assert sum(applied) == total == result["applied"] == scalar(dsn, "SELECT count(*) FROM events")
    assert result["referrals"] == 4 and result["practices"] == 17


def _contact(client, referral: dict) -> None:
    now = datetime.now(UTC)
    contact = CaseContacted(
        case_id=referral["referral_id"],
        patient_id=referral["patient_id"],
        provider_id=referral["provider_id"],
        link_worker_id=referral["link_worker_id"],
        contact_id=uuid.uuid4(),
        contacted_on=now.date(),
    )
    envelope = encode(
        contact, aggregate_id=referral["referral_id"], aggregate_version=1, occurred_at=now, recorded_at=now,
        producer="engagement",
    )  # fmt: skip
    services = client.app.state.services
    with services.pool.transaction() as cur:
        apply_case_event(services.unit_of_work(cur, cause=envelope), envelope, contact)
