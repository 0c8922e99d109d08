"""Supervised processes (issue 17 item 3): a relay or consumer run by deploy/bin/processes that is
SIGKILLed comes back by itself, its restart counted, and the platform catches up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

from test_backbone import applied_counts, wait_applied, write

from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.servers import repo_root

HERE = Path(__file__).parent


def processes(state: Path, conf: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "LINKWELL_STATE_DIR": str(state),
        "LINKWELL_PROCESSES_CONF": str(conf),
        "LINKWELL_RESTART_BACKOFF": "0.2",
    }
    return subprocess.run(
        [str(repo_root() / "deploy" / "bin" / "processes"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def status(state: Path, conf: Path) -> dict[str, dict]:
    answer = processes(state, conf, "status", "--json")
    return {row["name"]: row for row in json.loads(answer.stdout)}


def test_killed_consumer_and_relay_come_back_by_themselves_and_catch_up(backbone, tmp_path):
    env = (
        f"DATABASE_URL={backbone.dsn} KAFKA_BOOTSTRAP_SERVERS={backbone.bootstrap} ENVIRONMENT=test"
        f" TOPIC={backbone.topic} CONSUMER_NAME=supervised-{backbone.topic[-8:]} CONSUMER_BATCH_SIZE=50"
    )
    conf = tmp_path / "processes.conf"
    conf.write_text(
        "# two platform processes, as deploy/processes.conf lists them\n"
        f"test-relay env {env} python -m linkwell_runtime.relay\n"
        f"test-consumer env {env} python {HERE / 'consumer_process.py'}\n"
    )
    state = tmp_path / "state"
    started = processes(state, conf, "start")
    assert started.returncode == 0, started.stderr
    try:
        first = write(backbone.dsn, backbone.topic, streams=4, versions=5)
        wait_until(lambda: len(applied_counts(backbone)) == 20, timeout=90, what="20 events applied")
        before = status(state, conf)
        assert {r["state"] for r in before.values()} == {"running"}
        assert {r["restarts"] for r in before.values()} == {0}

        os.kill(before["test-consumer"]["pid"], signal.SIGKILL)
        os.kill(before["test-relay"]["pid"], signal.SIGKILL)
        more = write(backbone.dsn, backbone.topic, streams=4, versions=5, start_version=6)  # while both are down

        def back() -> dict[str, dict] | None:
            now = status(state, conf)
            ok = all(
                now[name]["state"] == "running"
                and now[name]["restarts"] == 1
                and now[name]["pid"] not in (None, before[name]["pid"])
                for name in now
            )
            return now if ok else None

        after = wait_until(back, timeout=60, what="both processes restarted")
        assert {r["last_exit"] for r in after.values()} == {"signal SIGKILL"}
        counts = wait_applied(backbone, 40, timeout=120)
        assert counts == {e.event_id: 1 for e in [*first, *more]}  # each once: nothing lost, nothing twice
        assert backbone.query("SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]
        table = processes(state, conf, "status")
        assert table.returncode == 0 and "test-consumer" in table.stdout and "signal SIGKILL" in table.stdout
        log = (state / "run" / "test-consumer.log").read_text()
        assert '"message": "process exited; restarting after back-off"' in log
    finally:
        stopped = processes(state, conf, "stop")
    assert stopped.returncode == 0, stopped.stderr
    final = status(state, conf)
    assert {r["state"] for r in final.values()} == {"stopped"}
    assert processes(state, conf, "status").returncode == 1


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    import urllib.request

    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_relay_and_consumer_export_metrics_when_a_port_is_given(backbone):
    relay_port, consumer_port = free_port(), free_port()
    relay = backbone.relay().start(METRICS_PORT=str(relay_port))
    consumer = backbone.consumer().start(METRICS_PORT=str(consumer_port))
    events = write(backbone.dsn, backbone.topic, streams=3, versions=4)
    wait_applied(backbone, 12, process=consumer)
    published = wait_until(
        lambda: scrape(relay_port).get(("linkwell_relay_published_total", ()), 0) == 12, what="12 published"
    )
    assert published

    def consumed() -> dict | None:
        found = scrape(consumer_port)
        applied = sum(
            v
            for (n, labels), v in found.items()
            if n == "linkwell_consumer_events_total" and ("outcome", "applied") in labels
        )
        return found if applied == 12 else None

    found = wait_until(consumed, what="12 applied in the consumer's metrics")
    batches = sum(v for (n, _), v in found.items() if n == "linkwell_consumer_batch_seconds_count")
    assert batches >= 1
    lags = [v for (n, _), v in found.items() if n == "linkwell_consumer_lag"]
    assert lags and set(lags) == {0.0}
    assert scrape(relay_port)[("linkwell_relay_publish_seconds_count", ())] >= 1
    assert len(events) == 12
    relay.stop(), consumer.stop()


def test_a_killed_supervisor_leaves_its_child_shown_and_the_next_start_replaces_it(tmp_path):
    conf = tmp_path / "processes.conf"
    conf.write_text('sleeper env PYTHONUNBUFFERED=1 python -c "import time; time.sleep(600)"\n')
    state = tmp_path / "state"
    assert processes(state, conf, "start").returncode == 0
    try:
        first = wait_until(
            lambda: (r := status(state, conf)["sleeper"])["state"] == "running" and r, what="the sleeper running"
        )
        supervisor_pid = int((state / "run" / "sleeper.pid").read_text())
        os.kill(supervisor_pid, signal.SIGKILL)  # an operator kills the wrong pid
        orphan = wait_until(
            lambda: (r := status(state, conf)["sleeper"])["state"] == "unsupervised" and r, what="the orphan shown"
        )
        assert orphan["pid"] == first["pid"]
        assert processes(state, conf, "status").returncode == 1

        assert processes(state, conf, "start").returncode == 0  # `make up` again
        again = wait_until(
            lambda: (r := status(state, conf)["sleeper"])["state"] == "running" and r["pid"] != first["pid"] and r,
            what="a new sleeper under a new supervisor",
        )
        assert again["pid"] != first["pid"]
        wait_until(lambda: not os.path.exists(f"/proc/{first['pid']}") or _zombie(first["pid"]), what="the orphan gone")
    finally:
        processes(state, conf, "stop")
    assert status(state, conf)["sleeper"]["state"] == "stopped"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
