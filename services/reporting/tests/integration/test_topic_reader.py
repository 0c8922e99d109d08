"""A rebuild reads whole topics; a topic that does not exist is an error, never an empty history
(read as empty, a mistyped topic name would rebuild reporting into nothing)."""

from __future__ import annotations

import uuid

import pytest

from reporting.adapters.topic_reader import read_to_end


def test_reading_a_topic_that_does_not_exist_is_refused_by_name(kafka_bootstrap):
    missing = f"missing.{uuid.uuid4().hex[:8]}"
    with pytest.raises(LookupError, match=missing):
        list(read_to_end(kafka_bootstrap, [missing]))  # after the wait for metadata


def test_an_empty_topic_reads_as_no_batches(kafka_bootstrap, topic_factory):
    assert list(read_to_end(kafka_bootstrap, [topic_factory("empty")])) == []
