"""Dead letters carry no event content, and a redrive is done by the consumer (issue 15): `linkwell
dlq redrive` writes a retry request naming the record; the consumer group fetches the record from
its topic with its own principal and applies it once. On the real broker and database, with the
consumer as a real process (killed at the worst moments in one test)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from backbone_app import counted
from guarded_consumer import SCHEMA
from kafka import KafkaProducer
from test_backbone import applied_counts, wait_applied

from contracts import dead_letter
from contracts.retry_request import RetryRequest
from contracts.topics import RETRY
from linkwell_runtime import cli, ops
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic

HERE = Path(__file__).parent
WHO = "email:ops.person@nhs.net"


def linkwell(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def redrive(backbone, monkeypatch, tmp_path):
    """The backbone with its poison-refusing consumer (guarded_consumer) and the CLI pointed at it."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", backbone.bootstrap)
    monkeypatch.setenv("LINKWELL_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("LINKWELL_OPERATOR", WHO)
    backbone.query(SCHEMA)
    backbone.group = f"redrive-{backbone.topic[-12:]}"
    backbone.guarded = Process(
        [str(HERE / "guarded_consumer.py")],
        {
            "DATABASE_URL": backbone.dsn,
            "KAFKA_BOOTSTRAP_SERVERS": backbone.bootstrap,
            "ENVIRONMENT": "test",
            "TOPIC": backbone.topic,
            "CONSUMER_NAME": backbone.group,
        },
        "guarded",
    )
    yield backbone
    backbone.guarded.stop()


def publish(bb, *events, topic: str | None = None) -> list:
    producer = KafkaProducer(**connection(bb.bootstrap), acks="all")
    try:
        return [
            producer.send(topic or bb.topic, key=e.key, value=e.to_bytes(), headers=e.kafka_headers()).get(timeout=30)
            for e in events
        ]
    finally:
        producer.close()


def letters_of(bb, expected: int) -> list[ops.DeadLetterRecord]:
    return wait_until(
        lambda: (found := ops.dead_letters(bb.bootstrap, [f"{bb.topic}.dlq"])) and len(found) >= expected and found,
        timeout=90,
        what=f"{expected} dead letter(s)",
    )


def outcome_of(bb, letter_id: str) -> str:
    def probe():
        [letter] = [d for d in ops.dead_letters(bb.bootstrap, [f"{bb.topic}.dlq"]) if d.id == letter_id]
        return letter.redrive_outcome

    return wait_until(probe, timeout=90, what=f"the consumer's outcome for {letter_id}")


def test_a_letter_names_its_record_and_carries_none_of_it(redrive, capsys):
    bb = redrive
    poison = counted("p", 1).model_copy(update={"payload": {"amount": 5, "needs": "n-1"}})
    good = counted("q", 1)
    [at, _] = publish(bb, poison, good)
    bb.guarded.start()
    assert wait_applied(bb, 1, process=bb.guarded) == {good.event_id: 1}
    [letter] = letters_of(bb, 1)

    [stored] = read_whole_topic(bb.bootstrap, f"{bb.topic}.dlq")
    assert stored.value in (b"", None)  # no event content on the dead-letter topic
    headers = dict(stored.headers)
    assert headers[dead_letter.CONSUMER_GROUP] == bb.group.encode()
    assert headers[dead_letter.EVENT_ID] == str(poison.event_id).encode()
    assert (headers[dead_letter.SOURCE_PARTITION], headers[dead_letter.SOURCE_OFFSET]) == (
        str(at.partition).encode(),
        str(at.offset).encode(),
    )

    code, out = linkwell(capsys, "dlq", "list", "--topic", bb.topic, "--json")
    [listed] = json.loads(out)
    assert code == cli.ATTENTION and listed["id"] == letter.id
    assert "PoisonEvent: unknown name id n-1" in listed["reason"]
    assert (listed["consumer_group"], listed["event_type"], listed["event_id"]) == (
        bb.group,
        "CounterIncremented",
        str(poison.event_id),
    )
    code, out = linkwell(capsys, "dlq", "show", letter.id)
    shown = json.loads(out)
    assert code == cli.OK and "value" not in shown and f"{bb.topic}[{at.partition}]@{at.offset}" in shown["record"]
    assert '"amount"' not in out and "needs" not in out


def test_poison_redriven_after_its_cause_is_fixed_is_applied_once_by_its_consumer(redrive, capsys):
    bb = redrive
    poison = counted("p", 1).model_copy(update={"payload": {"amount": 5, "needs": "n-1"}})
    good = counted("q", 1)
    publish(bb, poison, good)
    bb.guarded.start()
    wait_applied(bb, 1, process=bb.guarded)
    [letter] = letters_of(bb, 1)

    bb.query("INSERT INTO known_names VALUES ('n-1')")  # the cause, fixed
    code, out = linkwell(capsys, "dlq", "redrive", letter.id)
    assert code == cli.OK and "1 redrive request(s) sent" in out and f"asked {bb.group}" in out
    assert wait_applied(bb, 2, process=bb.guarded) == {good.event_id: 1, poison.event_id: 1}
    assert outcome_of(bb, letter.id) == "applied"

    code, out = linkwell(capsys, "dlq", "redrive", letter.id)  # a second redrive asks nothing
    assert code == cli.OK and "already redriven" in out and "0 redrive request(s) sent" in out
    code, out = linkwell(capsys, "dlq", "list", "--topic", bb.topic)
    assert code == cli.OK and "0 dead letter(s) waiting" in out

    assert len(read_whole_topic(bb.bootstrap, bb.topic)) == 2  # nothing written to the source topic
    requests = [  # the topic is the whole broker's: other tests' requests are on it too
        RetryRequest.model_validate_json(r.value)
        for r in read_whole_topic(bb.bootstrap, RETRY)
        if r.key == bb.group.encode()
    ]
    [mine] = [r for r in requests if r.letter_id == letter.id]
    source = letter.source
    assert (mine.consumer_group, mine.topic, mine.partition, mine.offset) == (bb.group, *source)
    assert mine.requested_by == WHO
    assert applied_counts(bb) == {good.event_id: 1, poison.event_id: 1}


def test_a_record_that_fails_again_is_dead_lettered_again(redrive, capsys):
    bb = redrive
    poison = counted("p", 1).model_copy(update={"payload": {"amount": 5, "needs": "n-2"}})
    publish(bb, poison)
    bb.guarded.start()
    [letter] = letters_of(bb, 1)
    assert linkwell(capsys, "dlq", "redrive", letter.id)[0] == cli.OK  # the cause not fixed
    assert outcome_of(bb, letter.id).startswith("failed again: dead-lettered again")
    [_, again] = letters_of(bb, 2)
    assert again.source == letter.source and again.group == bb.group and applied_counts(bb) == {}


def test_only_the_source_record_is_applied_whatever_a_letter_or_a_request_says(redrive, capsys, topic_factory):
    """Every consumer of a topic may write its dead-letter topic, so a letter could be forged, and an
    older letter carried a value: neither is ever applied or put on a topic. Content comes only from
    the source topic, at the partition and offset named, on a topic the group consumes."""
    bb = redrive
    other = topic_factory("other")  # a topic the group does not consume
    real = counted("r", 1, amount=1).model_copy(update={"payload": {"amount": 1, "needs": "n-3"}})
    [at] = publish(bb, real)
    [elsewhere] = publish(bb, counted("o", 1, amount=500), topic=other)
    bb.guarded.start()
    [true_letter] = letters_of(bb, 1)
    bb.query("INSERT INTO known_names VALUES ('n-3')")

    forged = counted("r", 1).model_copy(update={"event_id": real.event_id, "payload": {"amount": 9_999_999}})
    producer = KafkaProducer(**connection(bb.bootstrap), acks="all")

    def letter(source_topic: str, offset: int) -> str:
        """An old-style letter (it carries a value), forged: it names another topic, or no record."""
        headers = [
            *forged.kafka_headers(),
            (dead_letter.SOURCE_TOPIC, source_topic.encode()),
            (dead_letter.SOURCE_PARTITION, str(at.partition).encode()),
            (dead_letter.SOURCE_OFFSET, str(offset).encode()),
            (dead_letter.REASON, b"PoisonEvent: written by hand"),
            (dead_letter.CONSUMER_GROUP, bb.group.encode()),
        ]
        sent = producer.send(f"{bb.topic}.dlq", key=forged.key, value=forged.to_bytes(), headers=headers).get(30)
        return f"{sent.topic}:{sent.partition}:{sent.offset}"

    names_other = letter(other, at.offset)  # the header is not believed: the source is this topic's
    no_record = letter(bb.topic, at.offset + 1000)
    request = RetryRequest(
        consumer_group=bb.group,
        topic=other,
        partition=elsewhere.partition,
        offset=elsewhere.offset,
        letter_id=f"{other}.dlq:0:0",
        requested_by="someone",
        requested_at=datetime.now(UTC),
    )
    no_such_letter = request.model_copy(
        update={
            "topic": bb.topic,
            "partition": at.partition,
            "offset": at.offset + 2000,
            "letter_id": f"{bb.topic}.dlq:999:0",
        }
    )
    for forged_request in (request, no_such_letter):  # as if the operator forged them; neither blocks what follows
        producer.send(RETRY, key=forged_request.key, value=forged_request.to_bytes()).get(timeout=30)
    producer.close()

    code, out = linkwell(capsys, "dlq", "show", names_other)
    assert "9999999" not in out and "older letter" in out  # an old letter's value is never shown
    code, out = linkwell(capsys, "dlq", "redrive", names_other, no_record)
    assert code == cli.OK and "2 redrive request(s) sent" in out
    assert outcome_of(bb, names_other) == "applied"  # the record at the offset, from its own topic
    assert outcome_of(bb, no_record) == f"skipped: {bb.topic}[{at.partition}] has no record at {at.offset + 1000}"
    assert bb.query("SELECT event_id, amount FROM effects") == [(real.event_id, 1)]  # never 9_999_999
    wait_until(
        lambda: f"{bb.group} does not consume {other}" in bb.guarded.log_tail(200),
        timeout=60,
        what="the request for a topic it does not consume skipped with its reason",
    )
    assert linkwell(capsys, "dlq", "redrive", true_letter.id)[0] == cli.OK
    assert outcome_of(bb, true_letter.id) == "already applied: nothing done"
    assert applied_counts(bb) == {real.event_id: 1}
    assert len(read_whole_topic(bb.bootstrap, bb.topic)) == 1 and len(read_whole_topic(bb.bootstrap, other)) == 1


@pytest.mark.parametrize("failpoint", ["retry.after_fetch", "retry.after_apply"])
def test_a_consumer_killed_while_acting_on_a_request_neither_loses_nor_doubles_it(redrive, capsys, failpoint):
    bb = redrive
    poison = counted("p", 1).model_copy(update={"payload": {"amount": 5, "needs": "n-4"}})
    publish(bb, poison)
    bb.guarded.start(LINKWELL_FAILPOINTS=failpoint)
    [letter] = letters_of(bb, 1)
    bb.query("INSERT INTO known_names VALUES ('n-4')")
    assert linkwell(capsys, "dlq", "redrive", letter.id)[0] == cli.OK
    wait_until(lambda: bb.guarded.returncode is not None, timeout=90, what=f"the consumer killed at {failpoint}")
    assert bb.guarded.returncode == -9, bb.guarded.log_tail()
    before = applied_counts(bb)
    assert before == ({} if failpoint == "retry.after_fetch" else {poison.event_id: 1})

    bb.guarded.start(LINKWELL_FAILPOINTS="")  # the request was not committed: read again
    expected = "applied" if failpoint == "retry.after_fetch" else "already applied: nothing done"
    assert outcome_of(bb, letter.id) == expected
    assert applied_counts(bb) == {poison.event_id: 1}
