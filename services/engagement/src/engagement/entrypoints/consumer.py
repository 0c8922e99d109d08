"""`python -m engagement.entrypoints.consumer`: referral + directory events in one worker (thin)."""

from __future__ import annotations

from engagement.bootstrap import bootstrap
from engagement.config import Settings
from engagement.service_layer.consumed_events import apply_event
from linkwell_runtime.service import run_consumer


def main() -> None:
    settings = Settings()
    run_consumer(
        bootstrap(settings),
        settings.consumer_name,
        [settings.referral_topic, settings.directory_topic],
        handler=apply_event,
    )


if __name__ == "__main__":
    main()
