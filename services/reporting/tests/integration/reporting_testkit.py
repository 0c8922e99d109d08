"""Test kit: events as the referral and engagement services publish them, fed through the real
idempotent consumer (batch handler) into a real database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from reporting_builders import CaseFacts, at

from contracts import Envelope
from contracts.codec import encode
from contracts.events import event_class
from contracts.patient_pseudonyms import PatientPseudonym, record_key, record_value
from contracts.pii import encrypt_field, new_data_key, nhs_number_pseudonym
from contracts.referral import ReferralAllocated, ReferralAssessed, ReferralReceived
from linkwell_runtime.consumer import IdempotentConsumer, Message
from linkwell_runtime.settings import DEVELOPMENT_PSEUDONYM_SECRET
from linkwell_runtime.testing import cursor
from reporting.config import Settings
from reporting.service_layer.projections import apply_batch, apply_pseudonym_records
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
PRACTICE = "A86001"


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _sealed(text: str):
    return encrypt_field(text, key_id="patient-key", key=new_data_key(), purpose="test")


# The NHS number each ReferralReceived made here was for, by event id: `consume` sends its patient's
# pseudonym record beside it, as the referral service does with a patient's first referral.
_NHS_NUMBER_OF: dict[uuid.UUID, tuple[uuid.UUID, str, datetime]] = {}


def pseudonym_record(
    patient_id: uuid.UUID, nhs_number: str | None, known_since: datetime = NOW, topic: str = ""
) -> Message:
    """A record of the referral service's pseudonym topic: the patient's pseudonym, or (`nhs_number`
    None) a tombstone."""
    value = None
    if nhs_number is not None:
        pseudonym = nhs_number_pseudonym(nhs_number, DEVELOPMENT_PSEUDONYM_SECRET.encode())
        value = record_value(
            PatientPseudonym(patient_id=patient_id, nhs_number_pseudonym=pseudonym, known_since=known_since)
        )
    return Message(topic or PSEUDONYMS_TOPIC, 0, -1, record_key(patient_id), value)


def pseudonym_records(envelopes: list[Envelope], topic: str = "") -> list[Message]:
    """The pseudonym records the referral service sent with these ReferralReceived (made here)."""
    known = [_NHS_NUMBER_OF[e.event_id] for e in envelopes if e.event_id in _NHS_NUMBER_OF]
    return [pseudonym_record(patient, nhs, since, topic) for patient, nhs, since in known]


def referral_envelopes(case: CaseFacts, referred_on: date, nhs_number: str = "9434765919") -> list[Envelope]:
    """ReferralReceived, ReferralAssessed (eligible) and ReferralAllocated for a case (`consume` sends
    the patient's pseudonym record with them)."""
    when = at(referred_on, 9)
    rid = case.case_id
    received = ReferralReceived(
        referral_id=rid,
        patient_id=case.patient_id,
        practice_ods_code=PRACTICE,
        referrer_name="Dr A Khan",
        referrer_role="gp",
        conditions=("type2_diabetes",),
        age_at_referral=59,
        sex="female",
        referred_on=referred_on,
        nhs_number=_sealed(nhs_number),
        given_name=_sealed("Joan"),
        family_name=_sealed("Robson"),
        date_of_birth=_sealed("1965-03-14"),
        postcode=_sealed("NE4 6QA"),
        phone=_sealed("0191 496 0000"),
    )
    assessed = ReferralAssessed(referral_id=rid, eligible=True, rulebook_id="w2w-2015", assessed_on=referred_on)
    allocated = ReferralAllocated(
        referral_id=rid, provider_id=case.provider_id, link_worker_id=case.link_worker_id, allocated_on=referred_on
    )
    envelopes = [
        encode(p, aggregate_id=rid, aggregate_version=i, occurred_at=when, recorded_at=when, producer="referral")
        for i, p in enumerate((received, assessed, allocated), start=1)
    ]
    _NHS_NUMBER_OF[envelopes[0].event_id] = (case.patient_id, nhs_number, when)
    return envelopes


def case_envelopes(case: CaseFacts) -> list[Envelope]:
    """The case's facts as the engagement (or, for a withdrawal, referral) service's envelopes (same ids
    and both times)."""
    return [
        Envelope(
            event_id=f.event_id,
            event_type=f.event_type,
            schema_version=f.schema_version,
            aggregate_type=event_class(f.event_type, f.schema_version).aggregate_type,
            aggregate_id=f.case_id,
            aggregate_version=i,
            occurred_at=f.occurred_at,
            recorded_at=f.recorded_at,
            producer="referral" if f.event_type.startswith("Referral") else "engagement",
            payload=dict(f.payload),
        )
        for i, f in enumerate(case.facts, start=1)
    ]


class _NoDeadLetters:
    def send(self, letters) -> None:
        raise AssertionError(f"dead-lettered: {[letter.reason for letter in letters]}")


PSEUDONYMS_TOPIC = "test.patient-pseudonyms"


def reporting_consumer(settings: Settings) -> IdempotentConsumer:
    """The real IdempotentConsumer with the service's batch and record handlers, as its consumer runs
    them; a dead letter fails the test."""
    return IdempotentConsumer(
        settings.consumer_name,
        settings.database_url,
        None,
        _NoDeadLetters(),
        batch_handler=lambda cur, items: apply_batch(uow(cur, settings), items),
        record_handler=lambda cur, records: apply_pseudonym_records(uow(cur, settings), records),
        record_topics=[settings.patient_pseudonyms_topic, PSEUDONYMS_TOPIC],
    )


def consume(settings: Settings, envelopes: list[Envelope | Message], topic: str = "test.topic") -> None:
    """Apply through the real IdempotentConsumer (no broker needed): envelopes as messages of `topic`,
    each ReferralReceived made here with its patient's pseudonym record (as the referral service sends
    it), and records (`pseudonym_record`) as they are."""
    consumer = reporting_consumer(settings)
    messages: list[Message] = []
    for e in envelopes:
        if isinstance(e, Message):
            messages.append(e)
            continue
        messages += pseudonym_records([e])
        messages.append(Message(topic, 0, len(messages), e.key, e.to_bytes()))
    consumer.apply_batch(messages)
    consumer._close()


def uow(cur, settings: Settings, now: datetime = NOW) -> ReportingUnitOfWork:
    """The service's unit of work on a test's cursor, at a fixed moment."""
    return ReportingUnitOfWork(cur, settings, now)


def query(settings: Settings, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of a query (none for a statement), in a transaction of its own."""
    with cursor(settings.database_url) as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def engaged_case(referred_on: date, baseline_on: date, baseline_total: int, **kw) -> tuple[CaseFacts, uuid.UUID]:
    """A case opened on `referred_on` with a baseline Star; returns the case and the baseline star id."""
    case = CaseFacts(**kw)
    case.opened(referred_on)
    star = case.star(baseline_on, baseline_total)
    return case, star
