"""Entry point of the backbone test's consumer, run as a real subprocess so tests can SIGKILL it."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from backbone_app import record_effect, record_effects

from linkwell_runtime.settings import PlatformSettings
from linkwell_runtime.worker import build_app, run_worker

if __name__ == "__main__":
    name, topics, settings = os.environ["CONSUMER_NAME"], [os.environ["TOPIC"]], PlatformSettings()
    if os.environ.get("HANDLER_MODE") == "batch":
        app = build_app(name, topics, None, settings, batch_handler=record_effects)
    else:
        app = build_app(name, topics, record_effect, settings)
    run_worker(app, loglevel=os.environ.get("LOGLEVEL", "warning"))
