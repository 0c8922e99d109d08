"""The NHS-number pseudonym leaves the events (ReferralReceived v2) for its own compacted topic, where
erasure sends a tombstone and compaction cleans the pseudonym away; re-referral still finds the
patient, also after a rebuild; a v1 event in the store still projects; patients known before the
topic are published once at start-up. Real broker, real database, the real relay."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from referral_testkit import OTHER_PRACTICE, VALID_NHS, platform_patient_id, referral_body

from contracts import topics
from contracts.codec import decode, encode
from contracts.patient_pseudonyms import PatientPseudonym, PseudonymForgotten, decode_record
from contracts.pii import nhs_number_pseudonym
from contracts.referral import ReferralReceivedV1
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.settings import DEVELOPMENT_PSEUDONYM_SECRET
from linkwell_runtime.testing import cursor, query, scalar, wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic
from referral.bootstrap import prepare_database
from referral.config import Settings
from referral.entrypoints import rebuild
from referral.entrypoints.api import create_app

# The platform's settings, but compacting in seconds: segments roll 100 ms after they start (at the
# next append), the cleaner takes any dirty log and no superseded record waits.
FAST_COMPACTION = topics.COMPACTED_TOPIC_CONFIG | {
    "segment.ms": "100",
    "max.compaction.lag.ms": "100",
    "delete.retention.ms": "100",
}


def pseudonym_of(nhs: str) -> str:
    return nhs_number_pseudonym(nhs, DEVELOPMENT_PSEUDONYM_SECRET.encode())


@pytest.fixture
def published(database_url: str, kafka_bootstrap: str, topic_factory):
    """An API whose referral topic and (fast-compacting, one partition) pseudonym topic are fresh
    topics, and its relay process."""
    settings = Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        environment="test",
        referral_topic=topic_factory("referral"),
        patient_pseudonyms_topic=topic_factory("patient-pseudonyms", partitions=1, config=FAST_COMPACTION),
    )
    relay = Process(
        ["-m", "linkwell_runtime.relay"],
        {"DATABASE_URL": database_url, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "ENVIRONMENT": "test"},
        "referral-relay",
    )
    with TestClient(create_app(settings)) as client:
        yield client, settings, relay.start()
    relay.stop()


def _drained(settings: Settings, relay: Process) -> None:
    def done() -> bool:
        assert relay.alive(), relay.log_tail()
        return scalar(settings.database_url, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0

    wait_until(done, timeout=90, what="the relay to publish the outbox")


def _closed(client, token, referral_id: str) -> None:
    answer = client.post(f"/referrals/{referral_id}/decline", json={"reason": "other"}, headers=token())
    assert answer.status_code == 200, answer.text


def test_a_new_referral_carries_no_pseudonym_on_the_topic_or_in_the_event_store(published, token, kafka_bootstrap):
    client, settings, relay = published
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    patient_id = platform_patient_id(client, token, created["referral_id"])
    _drained(settings, relay)
    hidden = pseudonym_of(VALID_NHS[0]).encode()

    on_topic = read_whole_topic(kafka_bootstrap, settings.referral_topic)
    received = [r for r in on_topic if dict(r.headers)["event_type"] == b"ReferralReceived"]
    assert len(received) == 1 and json.loads(received[0].value)["schema_version"] == 2
    assert not [r for r in on_topic if hidden in r.value]
    stored = query(settings.database_url, "SELECT envelope::text FROM events")
    assert stored and not [row for row in stored if hidden.decode() in row[0]]
    in_read_model = "SELECT count(*) FROM referrals WHERE sealed::text LIKE %s"
    assert scalar(settings.database_url, in_read_model, (f"%{hidden.decode()}%",)) == 0

    [record] = read_whole_topic(kafka_bootstrap, settings.patient_pseudonyms_topic)
    assert record.key == patient_id.encode()
    decoded = decode_record(record.key, record.value)
    assert isinstance(decoded, PatientPseudonym) and decoded.nhs_number_pseudonym == hidden.decode()


def test_erasure_tombstones_the_pseudonym_and_compaction_cleans_it_off_the_topic(published, token, kafka_bootstrap):
    client, settings, relay = published
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=token()).json()
    patient_id = platform_patient_id(client, token, created["referral_id"])
    _closed(client, token, created["referral_id"])
    _drained(settings, relay)
    hidden = pseudonym_of(VALID_NHS[1]).encode()
    assert [r for r in read_whole_topic(kafka_bootstrap, settings.patient_pseudonyms_topic) if hidden in r.value]

    assert client.post(f"/patients/{patient_id}/erasure", headers=token("operator")).status_code == 200
    _drained(settings, relay)

    mine = [
        r for r in read_whole_topic(kafka_bootstrap, settings.patient_pseudonyms_topic) if r.key == patient_id.encode()
    ]
    assert mine[-1].value is None and decode_record(mine[-1].key, None) == PseudonymForgotten(uuid.UUID(patient_id))
    outbox = query(
        settings.database_url, "SELECT message FROM outbox WHERE topic = %s", (settings.patient_pseudonyms_topic,)
    )
    assert outbox == [(None,)]  # the published copy went from the outbox; only the tombstone is left

    from kafka import KafkaProducer

    producer = KafkaProducer(**connection(kafka_bootstrap))

    def cleaned() -> bool:
        # the active segment is rolled only on an append: another key's record, as another patient's would
        producer.send(settings.patient_pseudonyms_topic, key=str(uuid.uuid4()).encode(), value=None).get(timeout=30)
        records = read_whole_topic(kafka_bootstrap, settings.patient_pseudonyms_topic)
        return not [r for r in records if r.value is not None and hidden in r.value]

    try:
        wait_until(cleaned, timeout=180, interval=2, what="compaction to clean the erased patient's pseudonym away")
    finally:
        producer.close()


def test_re_referral_finds_the_same_patient_also_after_a_rebuild_from_the_event_store(client, token, settings):
    first = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[2]), headers=token()).json()
    patient_id = platform_patient_id(client, token, first["referral_id"])
    rebuild.rebuild(settings)

    again = client.post(
        "/referrals",
        json=referral_body(nhs_number=VALID_NHS[2], practice_ods_code=OTHER_PRACTICE),
        headers=token(practice=OTHER_PRACTICE),
    ).json()

    assert platform_patient_id(client, token, again["referral_id"]) == patient_id
    assert (
        scalar(
            settings.database_url, "SELECT count(*) FROM outbox WHERE topic = %s", (settings.patient_pseudonyms_topic,)
        )
        == 1
    )


def test_a_v1_referral_received_in_the_event_store_still_projects_without_its_pseudonym(client, token, settings):
    made = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[3]), headers=token()).json()
    [(envelope_json,)] = query(
        settings.database_url,
        "SELECT envelope FROM events WHERE aggregate_id = %s AND event_type = 'ReferralReceived'",
        (made["referral_id"],),
    )
    v2 = envelope_json["payload"]
    v1 = ReferralReceivedV1.model_validate(v2 | {"nhs_number_pseudonym": pseudonym_of(VALID_NHS[3])})
    old = encode(
        v1,
        aggregate_id=made["referral_id"],
        aggregate_version=1,
        occurred_at=datetime.now(UTC),
        recorded_at=datetime.now(UTC),
        producer="referral",
        event_id=uuid.UUID(envelope_json["event_id"]),
    )
    query(
        settings.database_url,
        "UPDATE events SET schema_version = 1, envelope = %s::jsonb WHERE event_id = %s RETURNING 1",
        (old.to_bytes().decode(), envelope_json["event_id"]),
    )
    before = client.get(f"/referrals/{made['referral_id']}", headers=token()).json()

    rebuild.rebuild(settings)

    after = client.get(f"/referrals/{made['referral_id']}", headers=token()).json()
    assert after == before and after["patient"]["given_name"] == "Joan"
    assert (
        scalar(
            settings.database_url,
            "SELECT sealed ? 'nhs_number_pseudonym' FROM referrals WHERE referral_id = %s",
            (made["referral_id"],),
        )
        is False
    )
    _, payload = decode(old.to_bytes())
    assert payload is not None and payload.schema_version == 2


def test_patients_known_before_the_topic_are_published_once_at_start_up_and_erased_ones_never(client, token, settings):
    kept = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[4]), headers=token()).json()
    gone = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    kept_id, gone_id = (platform_patient_id(client, token, r["referral_id"]) for r in (kept, gone))
    _closed(client, token, gone["referral_id"])
    assert client.post(f"/patients/{gone_id}/erasure", headers=token("operator")).status_code == 200
    # as a database from before the topic: nothing published, no record queued
    with cursor(settings.database_url) as cur:
        cur.execute("UPDATE patient_keys SET pseudonym_published_at = NULL")
        cur.execute("DELETE FROM outbox WHERE topic = %s", (settings.patient_pseudonyms_topic,))

    prepare_database(settings, seed=False)  # a start
    prepare_database(settings, seed=False)  # and another

    queued = query(
        settings.database_url,
        "SELECT message_key, message FROM outbox WHERE topic = %s",
        (settings.patient_pseudonyms_topic,),
    )
    assert len(queued) == 1
    record = decode_record(bytes(queued[0][0]), bytes(queued[0][1]))
    assert isinstance(record, PatientPseudonym)
    assert (str(record.patient_id), record.nhs_number_pseudonym) == (kept_id, pseudonym_of(VALID_NHS[4]))
    assert gone_id != kept_id
