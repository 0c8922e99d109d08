"""`engagement.entrypoints.rebuild` (`linkwell rebuild engagement`): `cases` made again from the event
store and the local copies from the topics are what the live consumer and API made, whatever had
happened to them since; a rebuild opens no case and writes no event."""

from __future__ import annotations

import uuid

from engagement_testkit import consume, contact_body, reference_envelopes, referral_envelopes
from kafka import KafkaProducer

from engagement.entrypoints import rebuild
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import query, scalar

DERIVED = (
    "cases",
    "referral_intake",
    "pending_allocations",
    "link_workers",
    "directory_services",
    "safeguarding_concerns",
)
KEPT = ("events", "outbox", "processed_events", "case_texts", "case_text_keys", "erased_patients")


def rows(dsn: str, tables: tuple[str, ...]) -> dict[str, list[str]]:
    def plain(row: tuple) -> str:
        return str(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))

    return {t: sorted(plain(r) for r in query(dsn, f"SELECT * FROM {t}")) for t in tables}


def test_a_rebuild_gives_the_live_cases_and_local_copies_back_and_opens_nothing(
    client, token, settings, kafka_bootstrap, topic_factory
):
    settings = settings.model_copy(
        update={
            "referral_topic": topic_factory("referral"),
            "directory_topic": topic_factory("directory"),
            "kafka_bootstrap_servers": kafka_bootstrap,
        }
    )
    cases = [uuid.uuid4() for _ in range(3)]
    parked = referral_envelopes(uuid.uuid4())[1]  # an allocation whose intake has not come
    waiting = referral_envelopes(uuid.uuid4())[0]  # an intake not yet allocated
    consumed = [e for c in cases for e in referral_envelopes(c)] + [parked, waiting]
    consume(settings, consumed)  # live, as the worker applies them (reference data: the client fixture)
    _publish(settings, reference_envelopes() + consumed)
    assert client.post(f"/cases/{cases[0]}/contacts", json=contact_body(), headers=token()).status_code == 201
    concern = {"category": "neglect", "risk_level": "medium", "description": "No heating"}
    assert client.post(f"/cases/{cases[1]}/safeguarding-concerns", json=concern, headers=token()).status_code == 201
    dsn = settings.database_url
    live, kept = rows(dsn, DERIVED), rows(dsn, KEPT)
    assert [len(live[t]) for t in DERIVED] == [3, 4, 1, 3, 2, 1]

    query(dsn, "UPDATE cases SET status = 'drifted' RETURNING 1")
    query(dsn, "DELETE FROM referral_intake RETURNING 1")
    query(dsn, "UPDATE directory_services SET name = 'drifted' RETURNING 1")
    query(dsn, "UPDATE safeguarding_concerns SET is_open = FALSE RETURNING 1")
    assert rows(dsn, DERIVED) != live

    applied: list[int] = []
    total = rebuild.total_events(settings)
    result = rebuild.rebuild(settings, progress=applied.append)

    assert rows(dsn, DERIVED) == live and rows(dsn, KEPT) == kept
    stored = scalar(dsn, "SELECT count(*) FROM events")
    assert sum(applied) == total == stored + len(reference_envelopes()) + len(consumed) + 1
    assert (result["case_events"], result["skipped"], result["cases"]) == (stored, 1, 3)


def _publish(settings, envelopes) -> None:
    """Each event on its topic as the referral and directory services publish them, then a message the
    live consumer dead-letters (not an event): the rebuild skips and counts it."""
    producer = KafkaProducer(**connection(settings.kafka_bootstrap_servers), acks="all")
    for e in envelopes:
        topic = settings.directory_topic if e.aggregate_type == "service" else settings.referral_topic
        producer.send(topic, key=e.key, value=e.to_bytes()).get(timeout=30)
    producer.send(settings.referral_topic, key=b"x", value=b"{not an event").get(timeout=30)
    producer.close()
