"""Helpers for the engagement tests: ids, referral and directory events, a fixed clock, case set-up."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from contracts import Envelope
from contracts.codec import decode, encode
from contracts.directory import ServicePublished, ServiceStatus, ServiceStatusChanged
from contracts.pii import encrypt_field, new_data_key
from contracts.referral import LinkWorkerRegistered, PatientErased, ReferralAllocated, ReferralReceived
from engagement.bootstrap import EngagementServices
from engagement.config import Settings
from engagement.service_layer.consumed_events import apply_event
from linkwell_runtime import db
from linkwell_runtime.service import event_handler

NOW = datetime(2024, 9, 2, 12, 0, tzinfo=UTC)
TODAY = date(2024, 9, 2)
ALLOCATED_ON = date(2024, 6, 3)
PRACTICE = "A86001"
PROVIDER = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
OTHER_PROVIDER = uuid.UUID("00000000-0000-7000-8000-0000000000a2")
WORKER = uuid.UUID("00000000-0000-7000-8000-0000000000b1")
COLLEAGUE = uuid.UUID("00000000-0000-7000-8000-0000000000b2")  # same provider
STRANGER = uuid.UUID("00000000-0000-7000-8000-0000000000b3")  # the other provider
SERVICE = uuid.UUID("00000000-0000-7000-8000-0000000000c1")
DEFUNCT_SERVICE = uuid.UUID("00000000-0000-7000-8000-0000000000c2")
SCORES = dict(
    lifestyle=4,
    looking_after_yourself=5,
    managing_symptoms=3,
    work_volunteering=2,
    money=6,
    where_you_live=7,
    family_and_friends=5,
    feeling_positive=4,
)  # total 36


class FixedClock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _envelope(payload, aggregate_id, version: int, producer: str, when: datetime = NOW) -> Envelope:
    return encode(
        payload,
        aggregate_id=aggregate_id,
        aggregate_version=version,
        occurred_at=when,
        recorded_at=when,
        producer=producer,
    )


def erasure_envelope(patient_id: uuid.UUID) -> Envelope:
    """The referral service's `PatientErased` for the patient, erased now."""
    now = datetime.now(UTC)
    return _envelope(PatientErased(patient_id=patient_id, erased_at=now), str(patient_id), 1, "referral", now)


def _sealed(text: str):
    return encrypt_field(text, key_id="patient-key", key=new_data_key(), purpose="test")


def referral_envelopes(
    referral_id: uuid.UUID,
    *,
    patient_id: uuid.UUID | None = None,
    worker: uuid.UUID = WORKER,
    provider: uuid.UUID = PROVIDER,
    allocated_on: date = ALLOCATED_ON,
) -> list[Envelope]:
    """ReferralReceived then ReferralAllocated, as the referral service publishes them."""
    received = ReferralReceived(
        referral_id=referral_id,
        patient_id=patient_id or uuid.uuid4(),
        practice_ods_code=PRACTICE,
        referrer_name="Dr A Khan",
        referrer_role="gp",
        conditions=("type2_diabetes",),
        age_at_referral=59,
        sex="female",
        referred_on=allocated_on,
        nhs_number=_sealed("9434765919"),
        given_name=_sealed("Joan"),
        family_name=_sealed("Robson"),
        date_of_birth=_sealed("1965-03-14"),
        postcode=_sealed("NE4 6QA"),
        phone=_sealed("0191 496 0000"),
    )
    allocated = ReferralAllocated(
        referral_id=referral_id, provider_id=provider, link_worker_id=worker, allocated_on=allocated_on
    )
    return [_envelope(received, referral_id, 1, "referral"), _envelope(allocated, referral_id, 3, "referral")]


def reference_envelopes() -> list[Envelope]:
    workers = [(WORKER, PROVIDER, True), (COLLEAGUE, PROVIDER, True), (STRANGER, OTHER_PROVIDER, True)]
    out = [
        _envelope(
            LinkWorkerRegistered(link_worker_id=w, provider_id=p, display_name=f"Worker {i}", capacity=50, active=a),
            w,
            1,
            "referral",
        )
        for i, (w, p, a) in enumerate(workers)
    ]
    for service, status in ((SERVICE, ServiceStatus.ACTIVE), (DEFUNCT_SERVICE, ServiceStatus.ACTIVE)):
        out.append(
            _envelope(
                ServicePublished(
                    service_id=service,
                    organization_id=PROVIDER,
                    last_modified=NOW,
                    name="Walking group",
                    status=status,
                    categories=("physical_activity",),
                ),
                service,
                1,
                "directory",
            )
        )
    out.append(
        _envelope(
            ServiceStatusChanged(
                service_id=DEFUNCT_SERVICE,
                organization_id=PROVIDER,
                last_modified=NOW,
                from_status="active",
                to_status="defunct",
            ),
            DEFUNCT_SERVICE,
            2,
            "directory",
        )
    )
    return out


def consume(settings: Settings, envelopes: list[Envelope], clock=None) -> None:
    """Apply events through the consumer's handler, in one transaction, as the worker would."""
    services = EngagementServices(settings, db.Pool(settings.database_url), clock or FixedClock())
    handle = event_handler(services, apply_event)
    try:
        with services.pool.transaction() as cur:
            for envelope in envelopes:
                handle(cur, envelope, decode(envelope.to_bytes())[1])
    finally:
        services.close()


def contact_body(**overrides: Any) -> dict[str, Any]:
    return {
        "occurred_at": "2024-06-05T10:00:00+01:00",
        "mode": "face_to_face",
        "duration_minutes": 45,
        "venue": "gp_practice",
        "attended": True,
    } | overrides
