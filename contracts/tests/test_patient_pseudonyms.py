"""ReferralReceived v2 carries no pseudonym (a v1 still decodes, without it); the pseudonym's own
compacted topic: its records, tombstones and configuration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from contracts import topics
from contracts.codec import ContractError, decode, encode
from contracts.patient_pseudonyms import (
    PatientPseudonym,
    PseudonymForgotten,
    decode_record,
    record_key,
    record_value,
)
from contracts.pii import encrypt_field, new_data_key, nhs_number_pseudonym
from contracts.referral import ReferralReceived, ReferralReceivedV1

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
PSEUDONYM = nhs_number_pseudonym("9434765919", b"a test secret of enough length!!")


def _v1(**overrides: object) -> ReferralReceivedV1:
    key = new_data_key()

    def sealed(value: str, purpose: str):
        return encrypt_field(value, key_id="pk-1", key=key, purpose=purpose)

    fields = {
        "referral_id": uuid4(),
        "patient_id": uuid4(),
        "practice_ods_code": "A85001",
        "referrer_name": "Dr Ada",
        "referrer_role": "gp",
        "conditions": ("copd",),
        "age_at_referral": 60,
        "sex": "female",
        "referred_on": date(2025, 3, 4),
        "nhs_number_pseudonym": PSEUDONYM,
        "nhs_number": sealed("9434765919", "nhs_number"),
        "given_name": sealed("Joan", "given_name"),
        "family_name": sealed("Smith", "family_name"),
        "date_of_birth": sealed("1965-01-01", "date_of_birth"),
        "postcode": sealed("NE1 4LP", "postcode"),
        "phone": sealed("07700900123", "phone"),
    }
    return ReferralReceivedV1.model_validate(fields | overrides)


def _wire(payload: object) -> bytes:
    return encode(
        payload,  # type: ignore[arg-type]
        aggregate_id=uuid4(),
        aggregate_version=1,
        occurred_at=WHEN,
        recorded_at=WHEN,
        producer="tests",
    ).to_bytes()


def test_a_v1_referral_received_decodes_as_v2_without_the_pseudonym() -> None:
    old = _v1()
    envelope, payload = decode(_wire(old))
    assert envelope.schema_version == 2 and isinstance(payload, ReferralReceived)
    assert "nhs_number_pseudonym" not in envelope.payload
    assert payload.model_dump() == old.model_dump(exclude={"nhs_number_pseudonym"})


def test_a_new_referral_received_is_v2_and_has_no_pseudonym_to_carry() -> None:
    new = ReferralReceived.model_validate(_v1().model_dump(exclude={"nhs_number_pseudonym"}))
    raw = _wire(new)
    assert b'"schema_version":2' in raw and PSEUDONYM.encode() not in raw
    with pytest.raises(ValueError, match="nhs_number_pseudonym"):
        ReferralReceived.model_validate(new.model_dump() | {"nhs_number_pseudonym": PSEUDONYM})


def test_a_pseudonym_record_round_trips_under_its_patients_key() -> None:
    record = PatientPseudonym(patient_id=uuid4(), nhs_number_pseudonym=PSEUDONYM, known_since=WHEN)
    assert decode_record(record_key(record.patient_id), record_value(record)) == record


def test_a_tombstone_forgets_the_patient_of_its_key() -> None:
    patient_id = uuid4()
    assert decode_record(record_key(patient_id), None) == PseudonymForgotten(patient_id)


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        (b"not-a-uuid", None, "key is not a patient id"),
        (None, None, "key is not a patient id"),
        (b"%s" % str(uuid4()).encode(), b'{"patient_id": 1}', "invalid"),
        (str(uuid4()).encode(), b"{", "invalid"),
    ],
)
def test_a_record_that_is_not_ours_is_a_contract_error_naming_no_value(key, value, reason) -> None:
    with pytest.raises(ContractError, match=reason) as raised:
        decode_record(key, value)
    assert PSEUDONYM not in str(raised.value)


def test_a_record_whose_key_and_value_disagree_is_refused() -> None:
    record = PatientPseudonym(patient_id=uuid4(), nhs_number_pseudonym=PSEUDONYM, known_since=WHEN)
    with pytest.raises(ContractError, match="different patients"):
        decode_record(record_key(uuid4()), record_value(record))


def test_the_pseudonym_topic_is_compacted_and_forgets_a_tombstoned_key_within_bounded_time() -> None:
    config = topics.topic_config(topics.PATIENT_PSEUDONYMS)
    assert config["cleanup.policy"] == "compact"
    assert int(config["max.compaction.lag.ms"]) <= 86_400_000 and int(config["segment.ms"]) <= 86_400_000
    assert int(config["delete.retention.ms"]) <= 86_400_000
    assert topics.topic_config("test." + topics.PATIENT_PSEUDONYMS) == config  # under a prefix too
    assert topics.topic_config(topics.dlq(topics.PATIENT_PSEUDONYMS)) == topics.DEAD_LETTER_TOPIC_CONFIG
    assert topics.topic_config(topics.REFERRAL) == topics.EVENT_TOPIC_CONFIG
