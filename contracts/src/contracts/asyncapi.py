"""Builds the AsyncAPI 3.0 document for every topic, its dead-letter twin, the ops topic of retry
requests and every event type."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from contracts import dead_letter, topics
from contracts.envelope import Envelope
from contracts.events import EventPayload
from contracts.patient_pseudonyms import PatientPseudonym
from contracts.retry_request import RetryRequest

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
KAFKA_BINDING_VERSION = "0.5.0"
SERVER = "development"
DEAD_LETTER_MESSAGE = "DeadLetter"
RETRY_MESSAGE = "RetryRequest"
_SCHEMA_REF = "#/components/schemas/{model}"

# Which service publishes to each topic (commissioner data is fed in through reporting).
PRODUCERS = {
    topics.REFERRAL: "referral",
    topics.ENGAGEMENT: "engagement",
    topics.DIRECTORY: "directory",
    topics.COMMISSIONER: "reporting",
    topics.REPORTING: "reporting",
    topics.PRACTICE: "engagement",
    topics.PATIENT_PSEUDONYMS: "referral",
}
PSEUDONYM_MESSAGE = "PatientPseudonym.v1"

Doc = dict[str, Any]


def build_asyncapi(types: Sequence[type[EventPayload]]) -> Doc:
    types = sorted(types, key=lambda cls: (cls.event_type, cls.schema_version))
    schemas, payload_refs = _component_schemas(types)
    channels: Doc = {}
    operations: Doc = {}
    for topic in topics.EVENT_TOPICS:
        _add_topic(channels, operations, topic, [message_name(cls) for cls in types if cls.topic == topic])
    _add_topic(channels, operations, topics.PATIENT_PSEUDONYMS, [PSEUDONYM_MESSAGE], "patientPseudonyms")
    _add_retry_topic(channels, operations, schemas)
    messages = {message_name(cls): _event_message(cls, payload_refs[cls]) for cls in types}
    messages[PSEUDONYM_MESSAGE] = _pseudonym_message(payload_refs[PatientPseudonym])
    messages[DEAD_LETTER_MESSAGE] = _dead_letter_message()
    messages[RETRY_MESSAGE] = _retry_message()
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Linkwell events",
            "version": DOCUMENT_VERSION,
            "description": "Every integration event on Linkwell's Kafka topics, generated from `contracts`.",
        },
        "defaultContentType": "application/json",
        "servers": {
            SERVER: {
                "host": "127.0.0.1:19092",
                "protocol": "kafka",
                "description": "Local single-node KRaft broker started by `make up`.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }


def message_name(cls: type[EventPayload]) -> str:
    return f"{cls.event_type}.v{cls.schema_version}"


def _component_schemas(types: Sequence[type[EventPayload]]) -> tuple[Doc, dict[type[BaseModel], Doc]]:
    """One shared pool of schemas, so nested models (EncryptedField, ...) are defined once."""
    mode: JsonSchemaMode = "validation"
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Envelope, mode), (PatientPseudonym, mode)]
    models += [(cls, mode) for cls in types]
    refs, top = models_json_schema(models, ref_template=_SCHEMA_REF)
    schemas = {name: top["$defs"][name] for name in sorted(top.get("$defs", {}))}
    return schemas, {model: refs[(model, mode)] for model, _ in models}


def _add_topic(channels: Doc, operations: Doc, topic: str, message_names: list[str], name: str = "") -> None:
    name = name or topic.split(".")[1]  # "linkwell.referral.v1" -> "referral"
    producer = PRODUCERS[topic]
    described = "Records" if topics.is_compacted_topic(topic) else "Events"
    channels[name] = _channel(topic, f"{described} published by the {producer} service.", message_names)
    channels[f"{name}DeadLetter"] = _channel(
        topics.dlq(topic), f"What consumers of {topic} could not parse or apply.", [DEAD_LETTER_MESSAGE]
    )
    operations[f"send{name.title()}Events"] = _send(
        name, channels[name], f"The {producer} service's outbox relay publishes these."
    )
    operations[f"send{name.title()}DeadLetters"] = _send(
        f"{name}DeadLetter",
        channels[f"{name}DeadLetter"],
        f"Any consumer of {topic} dead-letters a message it cannot parse or apply.",
    )


def _add_retry_topic(channels: Doc, operations: Doc, schemas: Doc) -> None:
    schemas[RETRY_MESSAGE] = RetryRequest.model_json_schema(ref_template=_SCHEMA_REF)
    channels["opsRetry"] = _channel(
        topics.RETRY, "Retry requests: which record a consumer group should apply again.", [RETRY_MESSAGE]
    )
    operations["sendRetryRequests"] = _send(
        "opsRetry", channels["opsRetry"], "`linkwell dlq redrive` asks; the named group's consumer acts."
    )


def _retry_message() -> Doc:
    return {
        "name": RETRY_MESSAGE,
        "title": "Retry request",
        "summary": "Names a record (never carries it): the consumer group fetches it from its topic and applies it.",
        "contentType": "application/json",
        "payload": {"$ref": _SCHEMA_REF.format(model=RETRY_MESSAGE)},
        "bindings": _kafka_key("consumer_group: one group's requests stay in order"),
    }


def _channel(address: str, description: str, message_names: list[str]) -> Doc:
    return {
        "address": address,
        "description": description,
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_names},
        "bindings": {
            "kafka": {
                "topic": address,
                "partitions": topics.DEFAULT_PARTITIONS,
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _send(channel_name: str, channel: Doc, summary: str) -> Doc:
    operation: Doc = {"action": "send", "channel": {"$ref": f"#/channels/{channel_name}"}, "summary": summary}
    if channel["messages"]:
        operation["messages"] = [{"$ref": f"#/channels/{channel_name}/messages/{m}"} for m in channel["messages"]]
    return operation


def _event_message(cls: type[EventPayload], payload_ref: Doc) -> Doc:
    return {
        "name": cls.event_type,
        "title": f"{cls.event_type} v{cls.schema_version}",
        "summary": _first_line(cls.__doc__) or f"{cls.event_type}, version {cls.schema_version}.",
        "contentType": "application/json",
        "headers": _headers(
            {
                "event_type": {"type": "string", "const": cls.event_type},
                "schema_version": {"type": "string", "const": str(cls.schema_version), "description": "decimal"},
            }
        ),
        "correlationId": {"location": "$message.payload#/correlation_id"},
        "payload": _envelope_of(cls, payload_ref),
        "bindings": _kafka_key(f"aggregate_id: the {cls.aggregate_type} whose events must stay in order"),
    }


def _pseudonym_message(payload_ref: Doc) -> Doc:
    """A keyed record, not an envelope: its value, or a tombstone (null) once the patient is erased."""
    return {
        "name": "PatientPseudonym",
        "title": "PatientPseudonym v1",
        "summary": "A patient's NHS-number pseudonym; a tombstone (null value) once the patient is erased.",
        "description": (
            "On a compacted topic: the latest record per patient is kept, and a tombstone removes the "
            "patient's earlier value (contracts.patient_pseudonyms). No envelope and no headers."
        ),
        "contentType": "application/json",
        "payload": {"oneOf": [payload_ref, {"type": "null", "description": "tombstone: the patient was erased"}]},
        "bindings": _kafka_key("patient_id: the patient the pseudonym belongs to"),
    }


def _first_line(doc: str | None) -> str:
    return inspect.cleandoc(doc).splitlines()[0] if doc else ""


def _envelope_of(cls: type[EventPayload], payload_ref: Doc) -> Doc:
    """The envelope with this event's type, version and payload pinned down."""
    pinned = {
        "event_type": {"const": cls.event_type},
        "schema_version": {"const": cls.schema_version},
        "aggregate_type": {"const": cls.aggregate_type},
        "payload": payload_ref,
    }
    return {"allOf": [{"$ref": _SCHEMA_REF.format(model="Envelope")}, {"type": "object", "properties": pinned}]}


def _dead_letter_message() -> Doc:
    numeric = {"type": "string", "pattern": "^[0-9]+$"}
    return {
        "name": DEAD_LETTER_MESSAGE,
        "title": "Dead letter",
        "summary": "Names a record set aside and why; the record stays on its topic of record.",
        "contentType": "application/octet-stream",
        "headers": _headers(
            {
                dead_letter.REASON: {"type": "string", "description": "why it could not be parsed or applied"},
                dead_letter.SOURCE_TOPIC: {"type": "string"},
                dead_letter.SOURCE_PARTITION: numeric | {"description": "decimal"},
                dead_letter.SOURCE_OFFSET: numeric | {"description": "decimal"},
                dead_letter.CONSUMER_GROUP: {"type": "string", "description": "the consumer that set it aside"},
                dead_letter.DEAD_LETTERED_AT: {"type": "string", "format": "date-time"},
            }
        ),
        "payload": {"type": "string", "maxLength": 0, "description": "empty: no event content on a letter"},
        "bindings": _kafka_key("the original message key (the aggregate id), unchanged"),
    }


def _headers(properties: Doc) -> Doc:
    """Open: other headers (tracing, or a dead letter's original headers) may travel beside these."""
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": True}


def _kafka_key(description: str) -> Doc:
    key = {"type": "string", "description": description}
    return {"kafka": {"key": key, "bindingVersion": KAFKA_BINDING_VERSION}}
