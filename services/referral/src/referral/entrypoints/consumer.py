"""`python -m referral.entrypoints.consumer`: follow engagement's case events and the discharge summaries
it sends practices (thin: bootstrap → run_consumer → the service layer's `apply_followed_event`).
Reference data is the API's to seed."""

from __future__ import annotations

from linkwell_runtime.service import run_consumer
from referral.bootstrap import bootstrap
from referral.config import Settings
from referral.domain.engagement_milestones import FOLLOWED_CASE_EVENT_TYPES
from referral.service_layer.practice_summaries import FOLLOWED_PRACTICE_EVENT_TYPES, apply_followed_event


def main() -> None:
    settings = Settings()
    services = bootstrap(settings.model_copy(update={"seed_reference_data": False}))
    run_consumer(
        services,
        settings.consumer_name,
        [settings.engagement_topic, settings.practice_topic],
        handler=apply_followed_event,
        applies_to=FOLLOWED_CASE_EVENT_TYPES | FOLLOWED_PRACTICE_EVENT_TYPES,
    )


if __name__ == "__main__":
    main()
