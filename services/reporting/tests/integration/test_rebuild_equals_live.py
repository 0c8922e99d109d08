"""The live consumer (a real faust worker on real topics) and `reporting rebuild` (the topics read
again from the beginning into emptied tables) give the same projections and the same ledger, and the
same pseudonym -> patient mapping from the referral service's pseudonym topic."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime

from kafka import KafkaProducer
from reporting_builders import PROVIDER_B, WORKER_2
from reporting_testkit import case_envelopes, engaged_case, pseudonym_records, query, referral_envelopes, uow

from contracts.codec import encode
from contracts.engagement import LinkageMade, LinkageUpdated
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import cursor, wait_until
from linkwell_runtime.testing.processes import Process
from reporting.adapters.projections import DERIVED_TABLES
from reporting.config import Settings
from reporting.domain import (
    ActivityRow,
    ActivityType,
    ComparisonCost,
    Quarter,
    load_packaged_rulebooks,
    outcome_fields,
)
from reporting.domain.commissioner_events import activity_uploaded, costs_uploaded
from reporting.domain.hospital_activity_csv import ActivityUpload
from reporting.service_layer import metrics
from reporting.service_layer.ledger import ledger_at

UPLOADED_AT = datetime(2025, 8, 1, 12, tzinfo=UTC)


def _history():
    """Two cases over both topics (one corrected after the fact, with a linkage moved twice) and both
    commissioner uploads."""
    a, _ = engaged_case(date(2024, 1, 2), date(2024, 1, 15), 40)
    review = a.star(date(2024, 6, 10), 44)
    a.corrected(review, 41, datetime(2024, 9, 1, tzinfo=UTC))  # +1: no longer qualifies
    linkage_id = uuid.uuid4()
    a._add(
        LinkageMade,
        date(2024, 2, 1),
        linkage_id=linkage_id,
        service_id=uuid.uuid4(),
        category="arts",
        made_on=date(2024, 2, 1),
    )
    for on, before, after in ((date(2024, 2, 5), "suggested", "referred"), (date(2024, 3, 1), "referred", "attended")):
        a._add(LinkageUpdated, on, linkage_id=linkage_id, from_status=before, to_status=after, on=on)
    b, _ = engaged_case(date(2024, 2, 2), date(2024, 2, 20), 30, provider_id=PROVIDER_B, link_worker_id=WORKER_2)
    b.star(date(2024, 8, 1), 35)
    referral = referral_envelopes(a, date(2024, 1, 2)) + referral_envelopes(b, date(2024, 2, 2), "9434765870")
    engagement = case_envelopes(a) + case_envelopes(b)
    upload_id = uuid.uuid4()
    activity = ActivityUpload(
        upload_id,
        (
            ActivityRow(
                uuid.uuid4(), upload_id, 2, a.patient_id, ActivityType.ADMISSION, date(2025, 2, 1), 40000, UPLOADED_AT
            ),
        ),
        (3,),
    )
    costs_id = uuid.uuid4()
    costs = (ComparisonCost(uuid.uuid4(), costs_id, 2, Quarter(2025, 1), 60000, UPLOADED_AT),)
    commissioner = [
        encode(
            p,
            aggregate_id=i,
            aggregate_version=1,
            occurred_at=UPLOADED_AT,
            recorded_at=UPLOADED_AT,
            producer="reporting",
        )
        for p, i in ((activity_uploaded(activity)[0], upload_id), (costs_uploaded(costs_id, costs), costs_id))
    ]
    return referral, engagement, commissioner


def _snapshot(settings: Settings) -> dict:
    out = {}
    for table in DERIVED_TABLES:
        columns = [
            c
            for (c,) in query(
                settings,
                "SELECT column_name FROM information_schema.columns WHERE"
                " table_name = %s AND column_name <> 'seq' ORDER BY 1",
                (table,),
            )
        ]
        out[table] = query(settings, f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2")
    with cursor(settings.database_url) as cur:
        for known_at in (datetime(2024, 8, 15, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)):
            ledger = ledger_at(cur, load_packaged_rulebooks(), as_of=date(2025, 12, 31), known_at=known_at)
            out[f"ledger@{known_at}"] = [outcome_fields(line) for line in ledger.lines]
        at = uow(cur, settings)
        out["metrics"] = [metrics.funnel(at), metrics.caseload(at), metrics.wellbeing(at), metrics.linkages(at)]
    return out


def test_rebuild_from_the_topics_equals_the_live_projections(settings, kafka_bootstrap, topic_factory):
    topics = {
        "REFERRAL_TOPIC": topic_factory("referral"),
        "ENGAGEMENT_TOPIC": topic_factory("engagement"),
        "COMMISSIONER_TOPIC": topic_factory("commissioner"),
        "PATIENT_PSEUDONYMS_TOPIC": topic_factory("patient-pseudonyms"),
    }
    env = {
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ENVIRONMENT": "test",
        "CONSUMER_NAME": f"reporting-test-{uuid.uuid4().hex[:8]}",
        **topics,
    }
    referral, engagement, commissioner = _history()
    producer = KafkaProducer(**connection(kafka_bootstrap))
    for topic, envelopes in zip(list(topics.values())[:3], (referral, engagement, commissioner), strict=True):
        for envelope in envelopes:
            producer.send(topic, key=envelope.key, value=envelope.to_bytes(), headers=envelope.kafka_headers())
    records = pseudonym_records(referral)  # as the referral service publishes them: one per patient
    for record in records:
        producer.send(topics["PATIENT_PSEUDONYMS_TOPIC"], key=record.key, value=record.value)
    producer.flush()
    producer.close()
    total = len(referral) + len(engagement) + len(commissioner)

    worker = Process(["-m", "reporting.entrypoints.consumer"], env, "reporting-consumer").start()
    try:
        wait_until(
            lambda: (
                query(settings, "SELECT count(*) FROM processed_events")[0][0] == total
                and query(settings, "SELECT count(*) FROM patients")[0][0] == len(records) == 2
            ),
            timeout=60,
            what=f"the live consumer to apply {total} events and {len(records)} pseudonym records",
        )
    except AssertionError:
        print(worker.log_tail())
        raise
    finally:
        worker.stop()
    live = _snapshot(settings)
    # before A's correction: both W; after it: B's W and the cohort's S split between the two providers
    assert [line["outcome_type"] for line in live["ledger@2024-08-15 00:00:00+00:00"]] == ["W", "W"]
    assert sorted(line["outcome_type"] for line in live["ledger@2026-01-01 00:00:00+00:00"]) == ["S", "S", "W"]

    query(settings, "DELETE FROM stars")  # drift that a rebuild must repair
    rebuilt = subprocess.run(
        [sys.executable, "-m", "reporting.entrypoints.rebuild"],
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"'applied': {total + len(records)}" in rebuilt.stdout
    assert _snapshot(settings) == live  # `patients` among them: the mapping came back from its topic
