"""`python -m engagement.entrypoints.consumer`: referral + directory events in one worker (thin)."""
from __future__ import annotations

from functools import partial

from engagement.bootstrap import prepare_database
from engagement.config import Settings
from engagement.service_layer.consumed_events import apply_event
from engagement.service_layer.unit_of_work import system_clock
from linkwell_runtime.worker import build_app, run_worker


def main() -> None:
    settings = Settings()
    prepare_database(settings.database_url)
    handler = partial(apply_event, settings=settings, clock=system_clock)
    app = build_app(settings.consumer_name, [settings.referral_topic, settings.directory_topic], handler, settings)
    run_worker(app)


if __name__ == "__main__":
    main()
