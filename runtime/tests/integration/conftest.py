from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import backbone_app

from linkwell_runtime import db
from linkwell_runtime.testing.processes import Process

HERE = Path(__file__).parent


@pytest.fixture
def backbone(database_url: str, kafka_bootstrap: str, topic_factory):
    """A prepared database, a fresh topic, and factories for the relay and consumer processes."""
    backbone_app.prepare(database_url)
    topic = topic_factory("backbone")
    env = {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "ENVIRONMENT": "test",
        "TOPIC": topic,
        "CONSUMER_NAME": f"backbone-{uuid.uuid4().hex[:8]}",
        "CONSUMER_BATCH_SIZE": "50",
    }
    started: list[Process] = []

    class Backbone:
        dsn, bootstrap = database_url, kafka_bootstrap

        def __init__(self) -> None:
            self.topic = topic
            self.group = env["CONSUMER_NAME"]

        def relay(self) -> Process:
            p = Process(["-m", "linkwell_runtime.relay"], env, "relay")
            started.append(p)
            return p

        def consumer(self, mode: str = "event") -> Process:
            p = Process([str(HERE / "consumer_process.py")], env | {"HANDLER_MODE": mode}, "consumer")
            started.append(p)
            return p

        def query(self, sql: str, params=()) -> list[tuple]:
            conn = db.connect(database_url)
            try:
                with db.transaction(conn) as cur:
                    cur.execute(sql, params)
                    return cur.fetchall() if cur.description else []
            finally:
                conn.close()

    yield Backbone()
    for process in started:
        process.stop()
