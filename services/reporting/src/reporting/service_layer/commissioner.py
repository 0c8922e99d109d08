"""Commissioner uploads: validated by the domain, published as events and applied in one transaction.

An accepted upload is appended to reporting's event store + outbox (`linkwell.commissioner.v1`) and
applied to the fact tables with the same code the consumer runs; its event id is recorded in
`processed_events` under the consumer's name in the same transaction, so the consumer (which reads
the topic too, for rebuilds) skips it. A rejected upload (`CsvRejected`) changes nothing.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from contracts.codec import encode
from contracts.pii import nhs_number_pseudonym
from linkwell_runtime import eventstore
from reporting.adapters import fact_store
from reporting.adapters.projections import apply_events
from reporting.config import Settings
from reporting.domain import parse_comparison_costs, parse_hospital_activity
from reporting.domain.commissioner_events import activity_uploaded, costs_uploaded
from reporting.domain.hospital_activity_csv import without_resent

PRODUCER = "reporting"


def upload_hospital_activity(cur, settings: Settings, text: str, *, now: datetime) -> dict:
    upload_id = uuid.uuid4()
    key = settings.pseudonym_key

    def pseudonymise(nhs: str) -> str:
        return nhs_number_pseudonym(nhs, key)

    wanted: set[str] = set()

    class _Collect(dict):  # first pass: which pseudonyms does the file name? (pure parse, no lookups)
        def get(self, pseudonym, default=None):
            wanted.add(pseudonym)
            return default

    try:
        parse_hospital_activity(text, upload_id=upload_id, recorded_at=now, pseudonymise=pseudonymise,
                                patient_for_pseudonym=_Collect())
    except Exception:  # noqa: BLE001 - the second pass raises the same CsvRejected with every error
        pass
    patients = fact_store.patients_for_pseudonyms(cur, wanted)
    parsed = parse_hospital_activity(text, upload_id=upload_id, recorded_at=now, pseudonymise=pseudonymise,
                                     patient_for_pseudonym=patients)
    # lock out a concurrent upload of the same rows between the count and the insert
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('reporting.hospital-activity-upload'))")
    upload = without_resent(parsed, fact_store.activity_counts(cur, {r.patient_id for r in parsed.rows}))
    envelopes = _publish(cur, settings, activity_uploaded(upload), upload_id, now)
    return {"upload_id": str(upload_id), "event_id": str(envelopes[0].event_id),
            "event_ids": [str(e.event_id) for e in envelopes], "rows_applied": len(upload.rows),
            "rows_unknown_nhs_number": len(upload.unmatched_lines), "unknown_nhs_number_lines": list(upload.unmatched_lines),
            "rows_already_uploaded": len(upload.resent_lines), "already_uploaded_lines": list(upload.resent_lines)}


def upload_comparison_costs(cur, settings: Settings, text: str, *, now: datetime) -> dict:
    upload_id = uuid.uuid4()
    costs = parse_comparison_costs(text, upload_id=upload_id, recorded_at=now)
    [envelope] = _publish(cur, settings, [costs_uploaded(upload_id, costs)], upload_id, now)
    return {"upload_id": str(upload_id), "event_id": str(envelope.event_id), "rows_applied": len(costs),
            "quarters": [str(c.quarter) for c in costs]}


def _publish(cur, settings: Settings, payloads, upload_id, now: datetime) -> list:
    """One upload = one aggregate; its events keep their order on one Kafka key."""
    envelopes = [encode(payload, aggregate_id=upload_id, aggregate_version=version, occurred_at=now, recorded_at=now,
                        producer=PRODUCER) for version, payload in enumerate(payloads, start=1)]
    eventstore.append(cur, envelopes, settings.commissioner_topic)
    apply_events(cur, list(zip(envelopes, payloads, strict=True)))
    for envelope in envelopes:
        cur.execute("INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
                    " VALUES (%s, %s, %s, -1, -1) ON CONFLICT DO NOTHING",
                    (settings.consumer_name, envelope.event_id, settings.commissioner_topic))
    return envelopes


__all__ = ["upload_comparison_costs", "upload_hospital_activity"]
