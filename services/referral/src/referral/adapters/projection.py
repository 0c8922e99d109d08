"""The read model: referral lists, reference data and caseloads, as a fold over the referral topic.

The write path calls `project` in the same transaction as the append; a replay of the topic into an
empty database calls it for each event and gets the same tables (upserts make it idempotent).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor
from psycopg2.extras import Json

from contracts import Envelope
from contracts.codec import decode
from contracts.events import EventPayload
from contracts.referral import (
    LinkWorkerRegistered,
    LinkWorkerUpdated,
    PatientDetailsCorrected,
    PatientErased,
    PatientPracticeChanged,
    PracticeRegistered,
    PracticeUpdated,
    ProviderRegistered,
    ReferralAllocated,
    ReferralAssessed,
    ReferralClosed,
    ReferralDeclined,
    ReferralEntriesCorrected,
    ReferralEpisodeLinked,
    ReferralReassigned,
    ReferralReceived,
    ReferralStatus,
    ReferralStatusChanged,
    ReferralWithdrawn,
)
from linkwell_runtime import db

# Where the rows go: a cursor (replay), or the statements sent with the append (the write path).
Writes = db.StatementBatch | Cursor

SEALED_FIELDS = (
    "nhs_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "address",
    "postcode",
    "phone",
    "email",
    "reason",
)


def project(cur: Writes, envelope: Envelope, payload: EventPayload | None) -> None:
    match payload:
        case ReferralReceived():
            _received(cur, envelope, payload)
        case ReferralAssessed():
            status = ReferralStatus.ELIGIBLE if payload.eligible else ReferralStatus.INELIGIBLE
            _set(
                cur,
                payload.referral_id,
                status=status.value,
                status_since=payload.assessed_on,
                eligible=payload.eligible,
                ineligibility=Json([r.model_dump() for r in payload.reasons]),
            )
        case ReferralAllocated():
            _set(
                cur,
                payload.referral_id,
                status=ReferralStatus.ALLOCATED.value,
                status_since=payload.allocated_on,
                provider_id=payload.provider_id,
                link_worker_id=payload.link_worker_id,
            )
        case ReferralStatusChanged():
            _set(cur, payload.referral_id, status=payload.to_status.value, status_since=payload.on)
        case ReferralReassigned():
            _set(cur, payload.referral_id, link_worker_id=payload.link_worker_id)
        case ReferralDeclined():
            _set(cur, payload.referral_id, status=ReferralStatus.DECLINED.value, status_since=payload.declined_on)
        case ReferralClosed():
            _set(cur, payload.referral_id, status=payload.status.value, summary=Json(payload.model_dump(mode="json")))
        case ReferralWithdrawn():
            _set(
                cur,
                payload.referral_id,
                status=ReferralStatus.WITHDRAWN.value,
                status_since=payload.withdrawn_on,
                withdrawal=Json(
                    {"reason": payload.reason_code.value, "withdrawn_on": payload.withdrawn_on.isoformat()}
                ),
            )
        case ReferralEpisodeLinked():
            earlier = [e.model_dump(mode="json") for e in payload.earlier_episodes]
            _set(cur, payload.referral_id, episode_number=payload.episode_number, earlier_episodes=Json(earlier))
        case ReferralEntriesCorrected():
            _entries_corrected(cur, payload)
        case ProviderRegistered():
            cur.execute(
                "INSERT INTO providers (provider_id, name) VALUES (%s, %s)"
                " ON CONFLICT (provider_id) DO UPDATE SET name = EXCLUDED.name",
                (payload.provider_id, payload.name),
            )
        case PracticeRegistered() | PracticeUpdated():
            cur.execute(
                "INSERT INTO practices (ods_code, name, participating, provider_id) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (ods_code) DO UPDATE SET name = EXCLUDED.name,"
                " participating = EXCLUDED.participating, provider_id = EXCLUDED.provider_id",
                (payload.ods_code, payload.name, payload.participating, payload.provider_id),
            )
        case PatientDetailsCorrected():
            corrected = {
                d.value: json.loads(v.model_dump_json()) for d in payload.corrected if (v := getattr(payload, d.value))
            }
            cur.execute(
                "UPDATE referrals SET sealed = sealed || %s::jsonb WHERE referral_id = %s",
                (Json(corrected), payload.referral_id),
            )
        case PatientPracticeChanged():
            _set(cur, payload.referral_id, practice_ods_code=payload.practice_ods_code)
        case PatientErased():
            # the sealed fields are noise under the shredded key; a pseudonym a row kept from before
            # referral-0009 goes (none is kept since: ReferralReceived v2 has none)
            cur.execute(
                "UPDATE referrals SET sealed = sealed - 'nhs_number_pseudonym' WHERE patient_id = %s",
                (payload.patient_id,),
            )
        case LinkWorkerRegistered() | LinkWorkerUpdated():
            cur.execute(
                "INSERT INTO link_workers (link_worker_id, provider_id, display_name, capacity, active)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (link_worker_id) DO UPDATE SET"
                " provider_id = EXCLUDED.provider_id, display_name = EXCLUDED.display_name,"
                " capacity = EXCLUDED.capacity, active = EXCLUDED.active",
                (payload.link_worker_id, payload.provider_id, payload.display_name, payload.capacity, payload.active),
            )


def _received(cur: Writes, envelope: Envelope, p: ReferralReceived) -> None:
    sealed = {f: json.loads(v.model_dump_json()) for f in SEALED_FIELDS if (v := getattr(p, f, None)) is not None}
    cur.execute(
        "INSERT INTO referrals (referral_id, patient_id, status, status_since, practice_ods_code, referrer_name,"
        " referrer_role, referred_on, age_at_referral, sex, conditions, mental_health, sealed, received_at)"
        " VALUES (%s, %s, 'received', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (referral_id) DO NOTHING",
        (
            p.referral_id,
            p.patient_id,
            p.referred_on,
            p.practice_ods_code,
            p.referrer_name,
            p.referrer_role.value,
            p.referred_on,
            p.age_at_referral,
            p.sex.value,
            [c.value for c in p.conditions],
            [m.value for m in p.mental_health],
            Json(sealed),
            envelope.recorded_at,
        ),
    )


def _entries_corrected(cur: Writes, p: ReferralEntriesCorrected) -> None:
    columns: dict[str, Any] = {
        "entries_correction": Json(
            {
                "corrected_on": p.corrected_on.isoformat(),
                "corrected": [e.value for e in p.corrected],
                "criteria_failed": [r.model_dump() for r in p.criteria_failed],
            }
        )
    }
    if p.conditions is not None:
        columns["conditions"] = [c.value for c in p.conditions]
    if p.mental_health is not None:
        columns["mental_health"] = [m.value for m in p.mental_health]
    if p.referred_on is not None:
        columns |= {"referred_on": p.referred_on, "age_at_referral": p.age_at_referral}
    if p.referrer_name is not None:
        columns["referrer_name"] = p.referrer_name
    if p.referrer_role is not None:
        columns["referrer_role"] = p.referrer_role.value
    if p.found_ineligible:
        columns |= {
            "status": ReferralStatus.INELIGIBLE.value,
            "status_since": p.corrected_on,
            "eligible": False,
            "ineligibility": Json([r.model_dump() for r in p.criteria_failed]),
        }
    _set(cur, p.referral_id, **columns)
    if p.reason is not None:
        cur.execute(
            "UPDATE referrals SET sealed = sealed || %s::jsonb WHERE referral_id = %s",
            (Json({"reason": json.loads(p.reason.model_dump_json())}), p.referral_id),
        )


def _set(cur: Writes, referral_id: UUID, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = %({name})s" for name in columns)
    cur.execute(
        f"UPDATE referrals SET {assignments} WHERE referral_id = %(referral_id)s",
        columns | {"referral_id": referral_id},
    )


def replay(cur: Cursor, messages: Iterable[bytes]) -> int:
    """Rebuild the read model from raw referral-topic messages (bytes), in topic order per key."""
    applied = 0
    for raw in messages:
        envelope, payload = decode(raw)
        project(cur, envelope, payload)
        applied += 1
    return applied
