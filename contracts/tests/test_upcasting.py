from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest

from contracts import topics
from contracts.envelope import Envelope, new_event_id
from contracts.errors import MissingUpcasterError, UnknownVersionError
from contracts.events import EventPayload, register_event
from contracts.upcasting import latest_version, upcast, upcaster

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


@register_event
class SampleThingWeighed(EventPayload):
    """v1 had kilograms as a float; v2 grams as an int; v3 added tags."""

    event_type: ClassVar[str] = "SampleThingWeighed"
    schema_version: ClassVar[int] = 3
    aggregate_type: ClassVar[str] = "sample_thing"
    topic: ClassVar[str] = topics.ENGAGEMENT

    thing_id: str
    grams: int
    tags: tuple[str, ...]


@upcaster("SampleThingWeighed", 1)
def kilograms_to_grams(payload: dict[str, Any]) -> dict[str, Any]:
    payload["grams"] = round(payload.pop("kilograms") * 1000)
    return payload


@upcaster("SampleThingWeighed", 2)
def add_empty_tags(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "tags": []}


@register_event
class SampleGapped(EventPayload):
    """v3 exists and v2 -> v3 is known, but nobody wrote v1 -> v2."""

    event_type: ClassVar[str] = "SampleGapped"
    schema_version: ClassVar[int] = 3
    aggregate_type: ClassVar[str] = "sample_thing"
    topic: ClassVar[str] = topics.ENGAGEMENT

    value: int


@upcaster("SampleGapped", 2)
def gapped_v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    return payload


def envelope_of(event_type: str, version: int, payload: dict[str, Any]) -> Envelope:
    return Envelope(
        event_id=new_event_id(),
        event_type=event_type,
        schema_version=version,
        aggregate_type="sample_thing",
        aggregate_id="thing-1",
        aggregate_version=1,
        occurred_at=WHEN,
        recorded_at=WHEN,
        producer="tests",
        payload=payload,
    )


def test_latest_version_counts_payload_classes_and_upcasters() -> None:
    assert latest_version("SampleThingWeighed") == 3
    assert latest_version("NeverHeardOf") is None


def test_a_v1_payload_is_lifted_through_every_upcaster_to_v3() -> None:
    new = upcast(envelope_of("SampleThingWeighed", 1, {"thing_id": "t", "kilograms": 1.25}))
    assert new.schema_version == 3
    assert new.payload == {"thing_id": "t", "grams": 1250, "tags": []}
    assert SampleThingWeighed.model_validate(new.payload).grams == 1250


def test_a_v2_payload_takes_only_the_remaining_step() -> None:
    new = upcast(envelope_of("SampleThingWeighed", 2, {"thing_id": "t", "grams": 5}))
    assert (new.schema_version, new.payload) == (3, {"thing_id": "t", "grams": 5, "tags": []})


def test_upcasting_leaves_the_original_envelope_untouched() -> None:
    old = envelope_of("SampleThingWeighed", 1, {"thing_id": "t", "kilograms": 2})
    new = upcast(old)
    assert old.schema_version == 1 and old.payload == {"thing_id": "t", "kilograms": 2}
    assert new.event_id == old.event_id and new.occurred_at == old.occurred_at


def test_an_event_at_the_latest_version_or_of_an_unknown_type_passes_through() -> None:
    current = envelope_of("SampleThingWeighed", 3, {"anything": 1})
    assert upcast(current) is current
    unknown = envelope_of("NeverHeardOf", 7, {})
    assert upcast(unknown) is unknown


def test_a_gap_in_the_upcaster_chain_is_reported() -> None:
    with pytest.raises(MissingUpcasterError, match=r"SampleGapped v1 -> v2"):
        upcast(envelope_of("SampleGapped", 1, {"value": 1}))


def test_a_version_newer_than_any_known_is_refused() -> None:
    with pytest.raises(UnknownVersionError, match="newer"):
        upcast(envelope_of("SampleThingWeighed", 4, {}))


def test_registering_a_second_upcaster_for_the_same_step_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        upcaster("SampleThingWeighed", 1)(lambda payload: payload)
