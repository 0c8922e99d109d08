"""The consumer's handler on a real database: cases open from referral events; the local copies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from engagement_testkit import (
    ALLOCATED_ON,
    DEFUNCT_SERVICE,
    PRACTICE,
    PROVIDER,
    SERVICE,
    WORKER,
    consume,
    reference_envelopes,
    referral_envelopes,
)

from contracts.codec import encode
from contracts.directory import ServiceUpdated
from linkwell_runtime.testing import query


def test_allocation_opens_a_case_with_the_patient_and_practice_from_the_referral(settings):
    referral_id, patient_id = uuid.uuid4(), uuid.uuid4()
    received, allocated = referral_envelopes(referral_id, patient_id=patient_id)
    consume(settings, [received, allocated])

    rows = query(
        settings.database_url,
        "SELECT event_type, aggregate_version, occurred_at, envelope->'payload'"
        " FROM events JOIN outbox USING (event_id) WHERE aggregate_id = %s",
        (str(referral_id),),
    )
    assert len(rows) == 1
    event_type, version, occurred, payload = rows[0]
    assert (event_type, version) == ("CaseOpened", 1)
    assert occurred == datetime(2024, 6, 3, tzinfo=UTC)
    assert payload == {
        "case_id": str(referral_id),
        "patient_id": str(patient_id),
        "provider_id": str(PROVIDER),
        "link_worker_id": str(WORKER),
        "practice_ods_code": PRACTICE,
        "allocated_on": ALLOCATED_ON.isoformat(),
    }
    assert query(settings.database_url, "SELECT status, link_worker_id FROM cases") == [("allocated", WORKER)]
    assert query(settings.database_url, "SELECT topic FROM outbox") == [(settings.engagement_topic,)]


def test_a_redelivered_allocation_opens_nothing_more(settings):
    referral_id = uuid.uuid4()
    events = referral_envelopes(referral_id)
    consume(settings, events)
    consume(settings, events)
    assert query(settings.database_url, "SELECT count(*) FROM events") == [(1,)]


def test_an_allocation_seen_before_its_referral_waits_for_it(settings):
    referral_id = uuid.uuid4()
    received, allocated = referral_envelopes(referral_id)
    consume(settings, [allocated])
    assert query(settings.database_url, "SELECT count(*) FROM cases") == [(0,)]
    consume(settings, [received])
    assert query(settings.database_url, "SELECT case_id FROM cases") == [(referral_id,)]
    assert query(settings.database_url, "SELECT count(*) FROM pending_allocations") == [(0,)]


def test_the_case_event_is_caused_by_the_allocation(settings):
    referral_id = uuid.uuid4()
    received, allocated = referral_envelopes(referral_id)
    consume(settings, [received, allocated])
    assert query(
        settings.database_url, "SELECT envelope->>'causation_id', envelope->>'correlation_id' FROM events"
    ) == [(str(allocated.event_id), str(allocated.event_id))]


def test_directory_copy_follows_publication_and_status_and_ignores_older_summaries(settings):
    consume(settings, reference_envelopes())
    assert dict(query(settings.database_url, "SELECT service_id, status FROM directory_services")) == {
        SERVICE: "active",
        DEFUNCT_SERVICE: "defunct",
    }
    stale = ServiceUpdated(
        service_id=DEFUNCT_SERVICE,
        organization_id=PROVIDER,
        name="Walking group",
        status="active",
        last_modified=datetime(2024, 9, 2, 12, tzinfo=UTC) - timedelta(days=1),
    )
    now = datetime.now(UTC)
    consume(
        settings,
        [
            encode(
                stale,
                aggregate_id=DEFUNCT_SERVICE,
                aggregate_version=3,
                occurred_at=now,
                recorded_at=now,
                producer="directory",
            )
        ],
    )
    assert query(
        settings.database_url, "SELECT status FROM directory_services WHERE service_id = %s", (DEFUNCT_SERVICE,)
    ) == [("defunct",)]


def test_link_workers_are_copied_from_reference_data(settings):
    consume(settings, reference_envelopes())
    assert query(
        settings.database_url, "SELECT provider_id, active FROM link_workers WHERE link_worker_id = %s", (WORKER,)
    ) == [(PROVIDER, True)]
