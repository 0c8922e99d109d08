"""The patients' NHS-number pseudonyms on their compacted topic (`contracts.patient_pseudonyms`): sent
once when this service first knows a patient, taken back by a tombstone when the patient is erased.

Reporting matches the hospital activity commissioners upload (NHS numbers) to patients by them. No
event carries the pseudonym (`ReferralReceived` v2): the event store and the referral topic are kept
for ever, while compaction cleans a tombstoned key's value away (docs/security.md §10). The records go
through the outbox like every event (same transaction, same relay, same order), but never into the
event store; the outbox's own copies are deleted at erasure. `patient_keys` stays the one place this
service keeps a pseudonym (the one-patient-per-NHS-number rule, untouched by rebuilds).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import psycopg2.extensions

from contracts.patient_pseudonyms import PatientPseudonym, record_key, record_value
from linkwell_runtime import eventstore
from referral.adapters.patient_keys import unpublished_pseudonyms


def publish_pseudonym(
    cur: psycopg2.extensions.cursor, topic: str, patient_id: UUID, pseudonym: str, known_since: datetime
) -> None:
    record = PatientPseudonym(patient_id=patient_id, nhs_number_pseudonym=pseudonym, known_since=known_since)
    eventstore.enqueue_record(cur, topic, record_key(patient_id), record_value(record))


def forget_pseudonym(cur: psycopg2.extensions.cursor, topic: str, patient_id: UUID) -> None:
    """Erasure: the outbox's copies go, and a tombstone follows whatever reached Kafka."""
    eventstore.forget_records(cur, topic, record_key(patient_id))
    eventstore.enqueue_record(cur, topic, record_key(patient_id), None)


def publish_known_pseudonyms(cur: psycopg2.extensions.cursor, topic: str) -> int:
    """At start-up: every patient still known whose pseudonym was never published (a database from
    before the topic, whose patients' pseudonyms only v1 events carried), once. Returns how many."""
    known = unpublished_pseudonyms(cur)
    for patient in known:
        publish_pseudonym(cur, topic, patient.patient_id, patient.nhs_number_pseudonym, patient.known_since)
    return len(known)
