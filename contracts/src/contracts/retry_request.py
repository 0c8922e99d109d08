"""A retry request on `linkwell.ops.retry.v1` (contracts.topics.RETRY): `linkwell dlq redrive` asks a
consumer group to apply one record of a topic it consumes again. It names the record, never carries
it: the consumer fetches it from its topic of record with its own principal."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class RetryRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    consumer_group: str = Field(min_length=1, max_length=200)
    topic: str = Field(min_length=1, max_length=249)  # Kafka's longest topic name
    partition: int = Field(ge=0)
    offset: int = Field(ge=0)
    letter_id: str = Field(max_length=300)  # "<topic>.dlq:<partition>:<offset>" of the letter redriven
    requested_by: str = Field(max_length=300)  # the operator as the CLI knows them (`sub`, else OS user)
    requested_at: datetime

    @property
    def key(self) -> bytes:
        """One group's requests stay in order on one partition."""
        return self.consumer_group.encode("utf-8")

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode("utf-8")
