"""The AsyncAPI document: valid AsyncAPI 3.0.0 (official JSON Schema), complete, and true to the code."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ConfigDict
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from contracts import dead_letter, topics
from contracts.asyncapi import build_asyncapi, message_name
from contracts.codec import encode
from contracts.events import EventPayload, event_types, register_event
from contracts.generate import ASYNCAPI_PATH
from contracts.pii import EncryptedStr, encrypt_field, new_data_key

OFFICIAL_SCHEMA = Path(__file__).parent / "asyncapi_spec" / "asyncapi-3.0.0.schema.json"
DOC_URI = "urn:linkwell:asyncapi"
WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


class SampleLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    amount_pence: int
    note: EncryptedStr | None = None


@register_event
class SampleClaimMade(EventPayload):
    """A sample with a nested model and encrypted fields, to exercise the generated schemas."""

    event_type: ClassVar[str] = "SampleClaimMade"
    aggregate_type: ClassVar[str] = "sample_claim"
    topic: ClassVar[str] = topics.REPORTING

    claim_id: UUID
    lines: tuple[SampleLine, ...]
    claimant: EncryptedStr


@pytest.fixture(scope="module")
def official_validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(OFFICIAL_SCHEMA.read_text("utf-8")))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_asyncapi(event_types())


def problems(validator: jsonschema.Draft7Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def test_the_committed_document_is_valid_asyncapi_3(official_validator: jsonschema.Draft7Validator) -> None:
    committed = yaml.safe_load(ASYNCAPI_PATH.read_text("utf-8"))
    assert committed["asyncapi"] == "3.0.0"
    assert problems(official_validator, committed) == []


def test_a_document_with_messages_on_every_kind_of_channel_is_valid_asyncapi_3(
    official_validator: jsonschema.Draft7Validator, document: dict[str, Any]
) -> None:
    assert problems(official_validator, document) == []


def test_the_official_schema_does_catch_a_broken_document(
    official_validator: jsonschema.Draft7Validator, document: dict[str, Any]
) -> None:
    broken = json.loads(json.dumps(document))
    del broken["operations"]["sendReportingEvents"]["action"]
    assert problems(official_validator, broken)


def test_every_ref_points_at_something_in_the_document(document: dict[str, Any]) -> None:
    for ref in sorted(set(refs_in(document))):
        assert ref.startswith("#/"), ref
        resolve_pointer(document, ref)  # raises KeyError if dangling


def test_each_topic_and_its_dead_letter_twin_is_a_channel_with_a_send_operation(document: dict[str, Any]) -> None:
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert addresses == set(topics.deployed())
    sent = {resolve_pointer(document, op["channel"]["$ref"])["address"] for op in document["operations"].values()}
    assert sent == addresses
    assert {op["action"] for op in document["operations"].values()} == {"send"}
    assert document["servers"]["development"] == document["servers"]["development"] | {
        "host": "127.0.0.1:19092",
        "protocol": "kafka",
    }


def test_every_event_type_is_a_message_on_its_own_topic(document: dict[str, Any]) -> None:
    for cls in event_types():
        channel = next(c for c in document["channels"].values() if c["address"] == cls.topic)
        message = resolve_pointer(document, channel["messages"][message_name(cls)]["$ref"])
        assert (message["name"], message["contentType"]) == (cls.event_type, "application/json")
        assert message["headers"]["properties"]["schema_version"]["const"] == str(cls.schema_version)
        assert "key" in message["bindings"]["kafka"]


def test_dead_letters_name_their_record_in_headers_and_carry_no_content(document: dict[str, Any]) -> None:
    message = document["components"]["messages"]["DeadLetter"]
    assert set(message["headers"]["required"]) == set(dead_letter.HEADERS)
    assert message["payload"]["maxLength"] == 0


def test_an_encoded_event_satisfies_its_message_payload_schema(document: dict[str, Any]) -> None:
    validator = message_payload_validator(document, message_name(SampleClaimMade))
    validator.validate(a_claim_on_the_wire())


def test_the_message_payload_schema_refuses_a_payload_that_breaks_the_contract(document: dict[str, Any]) -> None:
    body = a_claim_on_the_wire()
    body["payload"]["claimant"] = "Ada in clear"
    with pytest.raises(jsonschema.ValidationError):
        message_payload_validator(document, message_name(SampleClaimMade)).validate(body)


def a_claim_on_the_wire() -> dict[str, Any]:
    key = new_data_key()
    note = encrypt_field("x", key_id="p", key=key, purpose="note")
    payload = SampleClaimMade(
        claim_id=UUID(int=1),
        lines=(SampleLine(amount_pence=1250, note=note), SampleLine(amount_pence=5)),
        claimant=encrypt_field("Ada", key_id="p", key=key, purpose="given_name"),
    )
    envelope = encode(
        payload, aggregate_id="c-1", aggregate_version=1, occurred_at=WHEN, recorded_at=WHEN, producer="tests"
    )
    return json.loads(envelope.to_bytes())


def message_payload_validator(document: dict[str, Any], name: str) -> jsonschema.Draft7Validator:
    registry = Registry().with_resource(DOC_URI, Resource.from_contents(document, default_specification=DRAFT7))
    ref = {"$ref": f"{DOC_URI}#/components/messages/{name}/payload"}
    return jsonschema.Draft7Validator(ref, registry=registry)


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in refs_in(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in refs_in(item)]
    return []


def resolve_pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
