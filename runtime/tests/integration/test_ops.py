"""The `linkwell` ops CLI on the real broker and database (issue 17 item 4): the outbox backlog and
the consumer lag it reports are the figures a test produced; backups, rebuilds and migrations.
Dead letters and their redrive: test_redrive_by_the_consumer.py."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import psycopg2
import pytest
from kafka import KafkaProducer
from test_backbone import wait_applied, write

from contracts import Envelope
from linkwell_runtime import cli, migrations, ops
from linkwell_runtime.kafka_auth import connection
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.processes import Process
from linkwell_runtime.testing.topics import read_whole_topic

HERE = Path(__file__).parent


def linkwell(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


@pytest.fixture
def ops_env(backbone, monkeypatch, tmp_path):
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", backbone.bootstrap)
    monkeypatch.setenv("LINKWELL_STATE_DIR", str(tmp_path / "state"))
    conf = tmp_path / "processes.conf"
    conf.write_text("# nothing supervised in this test\n")
    monkeypatch.setenv("LINKWELL_PROCESSES_CONF", str(conf))
    return backbone


def test_backlog_and_lag_are_the_figures_the_test_produced(ops_env, capsys, monkeypatch):
    bb = ops_env
    first = write(bb.dsn, bb.topic, streams=3, versions=3)
    backlog = ops.outbox_backlog(bb.dsn)
    assert backlog["unpublished"] == 9 and backlog["oldest_unpublished_age_seconds"] >= 0
    relay = bb.relay().start()
    consumer = Process([str(HERE / "consumer_process.py")], _env(bb), "consumer").start()
    group = _env(bb)["CONSUMER_NAME"]
    try:
        wait_applied(bb, 9, process=consumer)
        wait_until(lambda: ops.outbox_backlog(bb.dsn)["unpublished"] == 0, what="the outbox published")
        wait_until(
            lambda: sum(p["lag"] for p in ops.consumer_lag(bb.bootstrap, group, [bb.topic])) == 0,
            what="the consumer's offsets committed",
        )
        consumer.stop()
        more = write(bb.dsn, bb.topic, streams=5, versions=2, start_version=4)  # 10 the consumer has not seen
        wait_until(lambda: ops.outbox_backlog(bb.dsn)["unpublished"] == 0, what="the new events published")
    finally:
        relay.stop(), consumer.stop()
    partition_of = {
        Envelope.model_validate_json(r.value).event_id: r.partition for r in read_whole_topic(bb.bootstrap, bb.topic)
    }
    expected = Counter(partition_of[e.event_id] for e in more)
    lag = ops.consumer_lag(bb.bootstrap, group, [bb.topic])
    assert {p["partition"]: p["lag"] for p in lag} == {p: expected.get(p, 0) for p in range(6)}
    assert sum(p["lag"] for p in lag) == 10 and len(first) == 9

    monkeypatch.setenv("BACKBONE_DATABASE_URL", bb.dsn)
    monkeypatch.setenv("BACKBONE_API_URL", "http://127.0.0.1:9")  # nothing listens: reported, not fatal
    service = cli.ServiceInfo("backbone", 9, group, (bb.topic,))
    report = cli.collect_status([service], dlq_topics=[bb.topic])
    entry = report["services"]["backbone"]
    assert entry["outbox"]["unpublished"] == 0 and entry["readiness"] == "unreachable"
    assert {p["partition"]: p["lag"] for p in entry["consumer"]["partitions"]} == {
        p: expected.get(p, 0) for p in range(6)
    }
    assert report["dead_letters"] == {"waiting": {f"{bb.topic}.dlq": 0}, "redriven": 0}
    assert cli.needs_attention(report)  # the service is not ready
    json.dumps(report, default=str)  # what `status --json` prints


def _env(bb) -> dict[str, str]:
    return {
        "DATABASE_URL": bb.dsn,
        "KAFKA_BOOTSTRAP_SERVERS": bb.bootstrap,
        "ENVIRONMENT": "test",
        "TOPIC": bb.topic,
        "CONSUMER_NAME": f"ops-{bb.topic[-12:]}",
    }


def test_a_backup_restored_gives_back_the_database_as_it_was(ops_env, capsys, monkeypatch, tmp_path):
    bb = ops_env
    monkeypatch.setenv("REFERRAL_DATABASE_URL", bb.dsn)
    monkeypatch.setenv("REFERRAL_CONSUMER_NAME", f"restore-{bb.topic[-12:]}")
    write(bb.dsn, bb.topic, streams=2, versions=3)
    before = (
        bb.query("SELECT event_id, aggregate_version FROM events ORDER BY position"),
        bb.query("SELECT name, value FROM counters ORDER BY name"),
    )
    dump = tmp_path / "referral.dump"
    code, out = linkwell(capsys, "backup", "referral", "--file", str(dump))
    assert code == 0 and dump.stat().st_size > 0 and str(dump) in out

    write(bb.dsn, bb.topic, streams=2, versions=2, start_version=4)  # changes after the backup
    bb.query("DELETE FROM counters")
    assert linkwell(capsys, "restore", "referral", str(dump))[0] == cli.REFUSED  # not without --yes
    assert linkwell(capsys, "restore", "referral", str(tmp_path / "none.dump"), "--yes")[0] == cli.NOT_FOUND
    code, out = linkwell(capsys, "restore", "referral", str(dump), "--yes")
    assert code == 0 and "restored" in out
    after = (
        bb.query("SELECT event_id, aggregate_version FROM events ORDER BY position"),
        bb.query("SELECT name, value FROM counters ORDER BY name"),
    )
    assert after == before and len(before[0]) == 6


def test_rebuild_refuses_while_the_consumer_runs_then_rebuilds_with_its_rate(
    ops_env, capsys, monkeypatch, topic_factory, database_factory
):
    bb = ops_env
    referral, directory = topic_factory("referral"), topic_factory("directory")
    group = f"rebuild-{bb.topic[-12:]}"
    for name, value in {
        "ENGAGEMENT_DATABASE_URL": database_factory(),
        "ENGAGEMENT_CONSUMER_NAME": group,
        "REFERRAL_TOPIC": referral,
        "DIRECTORY_TOPIC": directory,
        "ENVIRONMENT": "test",
    }.items():
        monkeypatch.setenv(name, value)
    producer = KafkaProducer(**connection(bb.bootstrap), acks="all")
    producer.send(referral, key=b"r", value=b"{not an event").get(timeout=30)
    producer.close()
    consumer = Process(
        [str(HERE / "consumer_process.py")], _env(bb) | {"CONSUMER_NAME": group, "TOPIC": referral}, "consumer"
    ).start()
    try:
        wait_until(lambda: ops.group_members(bb.bootstrap, group) > 0, timeout=60, what="the consumer joined")
        code = cli.main(["rebuild", "engagement"])
        assert code == cli.REFUSED and "refusing" in capsys.readouterr().err
    finally:
        consumer.stop()
    wait_until(lambda: ops.group_members(bb.bootstrap, group) == 0, timeout=60, what="the consumer left")
    code, out = linkwell(capsys, "rebuild", "engagement")
    result = json.loads(out.strip().splitlines()[-1])
    assert code == 0 and result["events"] == 1 and result["skipped"] == 1 and "events_per_second" in result
    with pytest.raises(SystemExit) as exited:
        cli.main(["rebuild", "nosuchservice"])
    assert exited.value.code == cli.USAGE


def test_migrate_lists_pending_revisions_applies_them_once_and_is_refused_while_another_migrates(
    ops_env, capsys, monkeypatch, database_factory
):
    dsn = database_factory()
    monkeypatch.setenv("DIRECTORY_DATABASE_URL", dsn)
    assert linkwell(capsys, "migrate")[0] == cli.USAGE  # a service or --all
    assert linkwell(capsys, "migrate", "nosuchservice")[0] == cli.USAGE
    code, out = linkwell(capsys, "migrate", "directory", "--status")
    every = [m.id for m in migrations.revisions(migrations.sources("directory.adapters.sql"))]
    assert code == cli.ATTENTION and f"directory: at no revision, {len(every)} pending" in out
    code, out = linkwell(capsys, "migrate", "directory", "--to", "directory-0001-baseline")
    applied = every[: every.index("directory-0001-baseline") + 1]
    assert code == cli.OK and "; ".join(f"applied {r}" for r in applied) in out
    code, out = linkwell(capsys, "migrate", "directory", "--status", "--json")
    pending = [r["revision"] for r in json.loads(out) if r["applied_at"] is None]
    assert code == cli.ATTENTION and pending == ["directory-0002-index-nested-children"]
    assert linkwell(capsys, "migrate", "directory", "--to", "directory-9999-none")[0] == cli.NOT_FOUND

    holder = psycopg2.connect(dsn)
    holder.autocommit = True
    try:
        with holder.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(hashtext(%s))", (migrations.LOCK_KEY,))
        assert linkwell(capsys, "migrate", "directory", "--wait", "0.3")[0] == cli.REFUSED
    finally:
        holder.close()
    code, out = linkwell(capsys, "migrate", "directory")
    assert code == cli.OK and out.strip() == "directory: applied directory-0002-index-nested-children"
    code, out = linkwell(capsys, "migrate", "directory")
    assert code == cli.OK and out.strip() == "directory: up to date"
    code, out = linkwell(capsys, "migrate", "directory", "--status")
    assert code == cli.OK and "directory: at directory-0002-index-nested-children, 0 pending" in out
