from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from pydantic import ValidationError

from contracts.envelope import Envelope, new_event_id

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
REFERRAL_ID = "01890a5d-ac96-774b-bcce-b302099a8057"


def an_envelope(**overrides: object) -> Envelope:
    fields = {
        "event_id": new_event_id(),
        "event_type": "ReferralAllocated",
        "schema_version": 1,
        "aggregate_type": "referral",
        "aggregate_id": REFERRAL_ID,
        "aggregate_version": 3,
        "occurred_at": WHEN,
        "recorded_at": WHEN,
        "producer": "referral",
        "correlation_id": new_event_id(),
        "payload": {"referral_id": REFERRAL_ID, "nested": {"list": [1, 2.5, None, "é"]}},
    }
    return Envelope(**(fields | overrides))


def test_envelope_survives_a_round_trip_through_bytes() -> None:
    envelope = an_envelope()
    assert Envelope.from_bytes(envelope.to_bytes()) == envelope


def test_envelope_is_utf8_json_on_the_wire() -> None:
    assert '"é"' in an_envelope().to_bytes().decode("utf-8")


def test_event_ids_are_time_ordered_uuid7() -> None:
    first, second = new_event_id(), new_event_id()
    assert isinstance(first, UUID) and first.version == 7 and first < second


def test_envelope_refuses_an_instant_without_an_offset() -> None:
    with pytest.raises(ValidationError):
        an_envelope(occurred_at=datetime(2025, 3, 4, 9, 30))


def test_envelope_is_frozen() -> None:
    with pytest.raises(ValidationError):
        an_envelope().aggregate_version = 4  # type: ignore[misc]


def test_headers_repeat_event_type_and_version_and_the_key_is_the_aggregate_id() -> None:
    envelope = an_envelope()
    assert envelope.kafka_headers() == [("event_type", b"ReferralAllocated"), ("schema_version", b"1")]
    assert envelope.key == REFERRAL_ID.encode()
