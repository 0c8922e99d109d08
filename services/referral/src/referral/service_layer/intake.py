"""Receive a referral: validate, identify the patient, seal, store, assess, allocate (one transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from contracts import new_event_id
from contracts.pii import EncryptedField, encrypt_field, nhs_number_pseudonym
from contracts.referral import ReferralStatus
from referral.adapters import reference_data
from referral.adapters.patient_keys import key_for_nhs_pseudonym
from referral.adapters.referral_rows import ended_episodes
from referral.domain import Referral, ReferralIntake, accept_intake, seal_patient_details
from referral.domain.intake import normalised_ods_code
from referral.domain.re_referral import COUNTED_ENDINGS
from referral.service_layer.allocation import drain_queue
from referral.service_layer.patient_pseudonyms import publish_pseudonym
from referral.service_layer.unit_of_work import ReferralUnitOfWork


@dataclass(frozen=True)
class ReceivedReferral:
    referral_id: UUID
    patient_id: UUID
    referral: Referral  # as stored at the end of the request (assessed, perhaps allocated)


def receive_referral(uow: ReferralUnitOfWork, intake: ReferralIntake) -> ReceivedReferral:
    """Store a well-formed referral (MalformedReferral otherwise, nothing stored), linked to the
    patient's ended episodes if any, then assess it and, if eligible, allocate it (to the link worker
    who last held a case of the patient when they have room) or leave it queued as eligible."""
    practice = reference_data.practice(uow.cur, normalised_ods_code(intake.practice_ods_code))
    valid = accept_intake(intake, known_practice_codes={practice.ods_code} if practice else set(), today=uow.today)
    pseudonym = nhs_number_pseudonym(valid.nhs_number, uow.pseudonym_key)
    # locks the patient: their referrals queue up here
    key = key_for_nhs_pseudonym(uow.cur, uow.settings.key_encryption_keys, pseudonym)
    # an erased patient's row no longer holds the pseudonym: this is a live key, perhaps a new patient's
    assert key.key is not None
    referral_id = new_event_id()
    if key.new:  # the pseudonym travels on its own compacted topic, never in an event
        publish_pseudonym(uow.cur, uow.settings.patient_pseudonyms_topic, key.patient_id, pseudonym, uow.now)
    sealed = seal_patient_details(valid, _encrypter(key.key_id, key.key))
    # a re-referral knows the patient's ended episodes (docs/domain.md §3.7); the key's lock orders them
    earlier = ended_episodes(uow.cur, key.patient_id, sorted(s.value for s in COUNTED_ENDINGS))
    received = Referral.receive(referral_id, key.patient_id, valid, sealed, earlier)
    assessed = Referral.from_events(received).assess(
        practice_participating=bool(practice and practice.participating),
        # from this practice only; one from elsewhere makes it wait in the queue (docs/domain.md §2)
        has_open_episode=reference_data.has_open_episode(uow.cur, key.patient_id, valid.practice_ods_code),
        on=valid.referred_on,  # eligibility is decided as of the referral date, in the same request
    )
    uow.events.append(referral_id, 0, [*received, *assessed], uow.stamp())
    stored = Referral.from_events([*received, *assessed])
    if practice is not None and stored.status is ReferralStatus.ELIGIBLE:
        allocated = drain_queue(
            uow, practice.provider_id, dated={referral_id: valid.referred_on}, known={referral_id: stored}
        )
        stored = allocated.get(referral_id, stored)
    return ReceivedReferral(referral_id=referral_id, patient_id=key.patient_id, referral=stored)


def _encrypter(key_id: str, key: bytes) -> Callable[[str, str], EncryptedField]:
    def encrypt(plaintext: str, purpose: str) -> EncryptedField:
        return encrypt_field(plaintext, key_id=key_id, key=key, purpose=purpose)

    return encrypt
