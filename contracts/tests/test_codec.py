from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar
from uuid import UUID

import pytest

from contracts import topics
from contracts.codec import ContractError, decode, encode
from contracts.envelope import Envelope, new_event_id
from contracts.events import EventPayload, register_event
from contracts.pii import EncryptedStr, decrypt_field, encrypt_field, new_data_key
from contracts.upcasting import upcaster

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
PARCEL_ID = UUID("01890a5d-ac96-774b-bcce-b302099a8057")
KEY = new_data_key()


@register_event
class SampleParcelSent(EventPayload):
    """v2 renamed `to` to `recipient`."""

    event_type: ClassVar[str] = "SampleParcelSent"
    schema_version: ClassVar[int] = 2
    aggregate_type: ClassVar[str] = "sample_parcel"
    topic: ClassVar[str] = topics.ENGAGEMENT

    parcel_id: UUID
    recipient: EncryptedStr
    tags: tuple[str, ...] = ()


@upcaster("SampleParcelSent", 1)
def rename_to_recipient(payload: dict[str, Any]) -> dict[str, Any]:
    payload["recipient"] = payload.pop("to")
    return payload


def a_parcel() -> SampleParcelSent:
    recipient = encrypt_field("Ada Lovelace", key_id="patient-1", key=KEY, purpose="given_name")
    return SampleParcelSent(parcel_id=PARCEL_ID, recipient=recipient, tags=("fragile",))


def encoded(payload: EventPayload | None = None, **overrides: Any) -> Envelope:
    fields = {"aggregate_id": PARCEL_ID, "aggregate_version": 1, "occurred_at": WHEN, "producer": "tests"}
    return encode(payload or a_parcel(), **(fields | {"recorded_at": WHEN} | overrides))


def wire(envelope_fields: dict[str, Any]) -> bytes:
    return json.dumps(envelope_fields).encode()


def test_encode_takes_type_version_and_aggregate_type_from_the_payload_class() -> None:
    envelope = encoded(correlation_id=new_event_id())
    assert envelope.event_type == "SampleParcelSent" and envelope.schema_version == 2
    assert envelope.aggregate_type == "sample_parcel"
    assert envelope.aggregate_id == str(PARCEL_ID)
    assert envelope.payload["tags"] == ["fragile"] and envelope.payload["parcel_id"] == str(PARCEL_ID)
    assert envelope.event_id.version == 7


def test_decode_returns_the_typed_payload_that_was_encoded() -> None:
    envelope = encoded()
    decoded, payload = decode(envelope.to_bytes())
    assert decoded == envelope and isinstance(payload, SampleParcelSent)
    assert (payload.parcel_id, payload.tags) == (PARCEL_ID, ("fragile",))
    assert decrypt_field(payload.recipient, KEY, "given_name") == "Ada Lovelace"


def test_an_old_version_on_the_wire_decodes_as_the_latest_typed_payload() -> None:
    body = json.loads(encoded().to_bytes())
    body["schema_version"] = 1
    body["payload"]["to"] = body["payload"].pop("recipient")
    envelope, payload = decode(wire(body))
    assert envelope.schema_version == 2 and isinstance(payload, SampleParcelSent)


def test_an_unregistered_event_type_decodes_with_no_payload_for_the_consumer_to_judge() -> None:
    body = json.loads(encoded().to_bytes()) | {"event_type": "SomeoneElsesEvent", "payload": {"x": 1}}
    envelope, payload = decode(wire(body))
    assert payload is None and envelope.payload == {"x": 1}


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[]", b"", b'{"event_type": 3}'])
def test_bytes_that_are_not_an_envelope_raise_contract_error(raw: bytes) -> None:
    with pytest.raises(ContractError, match="malformed envelope: "):
        decode(raw)


def test_a_missing_envelope_field_is_named_in_the_reason() -> None:
    body = json.loads(encoded().to_bytes())
    del body["aggregate_id"]
    with pytest.raises(ContractError, match="aggregate_id: Field required"):
        decode(wire(body))


def test_a_payload_that_breaks_its_schema_is_named_in_the_reason() -> None:
    body = json.loads(encoded().to_bytes())
    del body["payload"]["parcel_id"]
    body["payload"]["surprise"] = True
    with pytest.raises(ContractError, match=r"SampleParcelSent v2 payload invalid: parcel_id: .*surprise"):
        decode(wire(body))


def test_an_unknown_version_of_a_registered_type_raises_contract_error() -> None:
    body = json.loads(encoded().to_bytes()) | {"schema_version": 9}
    with pytest.raises(ContractError, match="SampleParcelSent v9"):
        decode(wire(body))


def test_an_event_claiming_the_wrong_aggregate_type_raises_contract_error() -> None:
    body = json.loads(encoded().to_bytes()) | {"aggregate_type": "referral"}
    with pytest.raises(ContractError, match="about a sample_parcel, not a referral"):
        decode(wire(body))


def test_contract_errors_are_value_errors_with_a_readable_reason() -> None:
    with pytest.raises(ValueError) as caught:
        decode(b"nope")
    assert isinstance(caught.value, ContractError)
    assert caught.value.reason.startswith("malformed envelope")


def test_encode_refuses_a_payload_class_that_was_never_registered() -> None:
    class Unlisted(EventPayload):
        event_type: ClassVar[str] = "Unlisted"
        aggregate_type: ClassVar[str] = "x"
        topic: ClassVar[str] = topics.ENGAGEMENT

    with pytest.raises(LookupError):
        encoded(Unlisted())
