"""A consumer starting beside a cluster that has just formed asks for its group's committed offsets
while the group coordinator is still being elected: "not the coordinator" is a reason to ask again."""

from __future__ import annotations

import pytest
from kafka.errors import NotCoordinatorError, UnknownTopicOrPartitionError

from linkwell_runtime import ops, positions


class _Admin:
    def __init__(self, answers: list) -> None:
        self._answers = answers

    def list_consumer_group_offsets(self, group: str) -> dict:
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self) -> None:
        pass


def test_group_offsets_are_asked_again_while_the_coordinator_is_not_ready(monkeypatch):
    answers: list = [NotCoordinatorError(), NotCoordinatorError(), {"committed": 1}]
    monkeypatch.setattr(ops, "_admin", lambda bootstrap: _Admin(answers))
    monkeypatch.setattr(ops.time, "sleep", lambda seconds: None)

    assert positions._committed_offsets("127.0.0.1:1", "g") == {"committed": 1}
    assert answers == []


def test_an_error_that_retrying_cannot_cure_is_raised_at_once(monkeypatch):
    class Refused(UnknownTopicOrPartitionError):
        retriable = False

    answers: list = [Refused(), {"never": 0}]
    monkeypatch.setattr(ops, "_admin", lambda bootstrap: _Admin(answers))
    with pytest.raises(Refused):
        positions._committed_offsets("127.0.0.1:1", "g")
    assert answers == [{"never": 0}]


def test_an_error_answer_kafka_python_cannot_read_is_asked_again(monkeypatch):
    # DescribeGroups answered "coordinator loading" carries authorized_operations unset (-2**31):
    # kafka-python reads it as bit 31 and raises ValueError before it looks at the error code
    answers: list = [ValueError("31 is not a valid ACLOperation"), ("g", 0, "Empty", "consumer", "", [])]
    monkeypatch.setattr(ops, "_admin", lambda bootstrap: _Describing(answers))
    monkeypatch.setattr(ops.time, "sleep", lambda seconds: None)
    assert ops.group_members("127.0.0.1:1", "g") == 0
    assert answers == []


class _Describing(_Admin):
    def describe_consumer_groups(self, groups: list) -> list:
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return [answer]  # an older plain tuple: members are its sixth field


def test_a_coordinator_that_never_comes_is_reported_after_the_patience_runs_out(monkeypatch):
    monkeypatch.setattr(ops, "_admin", lambda bootstrap: _Admin([NotCoordinatorError()] * 3))
    monkeypatch.setattr(ops.time, "sleep", lambda seconds: None)
    with pytest.raises(NotCoordinatorError):
        positions._committed_offsets("127.0.0.1:1", "g", patience=0.0)
