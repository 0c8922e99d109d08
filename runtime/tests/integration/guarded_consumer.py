"""A backbone consumer whose handler refuses an event that `needs` a name not yet in `known_names`
(a poison message whose cause an operator can fix), run as a real subprocess."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from backbone_app import record_effect

from linkwell_runtime.consumer import PoisonEvent
from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.worker import build_app, run_worker

SCHEMA = "CREATE TABLE IF NOT EXISTS known_names (name TEXT PRIMARY KEY)"


def guarded(cur, envelope, payload) -> None:
    needs = envelope.payload.get("needs")
    if needs is not None:
        cur.execute("SELECT 1 FROM known_names WHERE name = %s", (needs,))
        if cur.fetchone() is None:
            raise PoisonEvent(f"unknown name id {needs}")
    record_effect(cur, envelope, payload)


if __name__ == "__main__":
    app = build_app(os.environ["CONSUMER_NAME"], [os.environ["TOPIC"]], guarded, PlatformSettings())
    run_worker(app)
