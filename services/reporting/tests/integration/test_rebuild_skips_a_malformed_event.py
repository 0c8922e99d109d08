"""A malformed event in the log is skipped by the rebuild with the codec's reason, and every good
event around it is applied (the live worker dead-lettered it)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

from kafka import KafkaProducer
from reporting_testkit import case_envelopes, engaged_case, query, referral_envelopes

from linkwell_runtime.kafka_auth import connection
from reporting.entrypoints.rebuild import rebuild


def _well_formed() -> list[bytes]:
    case, _ = engaged_case(date(2024, 1, 2), date(2024, 1, 15), 40)
    review = case.star(date(2024, 6, 10), 44)
    case.corrected(review, 41, datetime(2024, 9, 1, tzinfo=UTC))
    case.voided(review, datetime(2024, 9, 2, tzinfo=UTC))
    return [e.to_bytes() for e in referral_envelopes(case, date(2024, 1, 2)) + case_envelopes(case)]


def _changed(raw: bytes, change) -> bytes:
    event = json.loads(raw)
    change(event)
    return json.dumps(event).encode()


def test_a_malformed_event_on_a_topic_is_skipped_by_the_rebuild_with_its_reason(
    settings, kafka_bootstrap, topic_factory, caplog
):
    settings = settings.model_copy(
        update={
            "referral_topic": topic_factory("referral"),
            "engagement_topic": topic_factory("engagement"),
            "commissioner_topic": topic_factory("commissioner"),
            "patient_pseudonyms_topic": topic_factory("patient-pseudonyms"),
        }
    )
    good = _well_formed()
    bad = _changed(good[0], lambda e: e["payload"].update(referred_on="the second of January"))
    producer = KafkaProducer(**connection(kafka_bootstrap))
    for raw in [bad, *good[:3]]:
        producer.send(settings.referral_topic, key=b"one referral", value=raw)
    for raw in good[3:]:
        producer.send(settings.engagement_topic, key=b"one case", value=raw)
    producer.flush()
    producer.close()

    with caplog.at_level(logging.WARNING, logger="reporting.rebuild"):
        result = rebuild(settings)

    assert (result["events"], result["applied"], result["skipped"], result["duplicates"]) == (
        len(good) + 1,
        len(good),
        1,
        0,
    )
    assert "ReferralReceived v2 payload invalid: referred_on" in caplog.text
    assert query(settings, "SELECT count(*) FROM facts")[0][0] == len(good)
