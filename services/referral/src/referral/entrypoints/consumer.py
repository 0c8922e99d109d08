"""`python -m referral.entrypoints.consumer`: follow engagement's case events (thin: decode → handler)."""
from __future__ import annotations

from functools import partial

from linkwell_runtime.worker import build_app, run_worker
from referral.bootstrap import prepare_database
from referral.config import Settings
from referral.domain.engagement_milestones import FOLLOWED_CASE_EVENT_TYPES
from referral.service_layer.case_events import apply_case_event


def main() -> None:
    settings = Settings()
    prepare_database(settings, seed=False)
    app = build_app(settings.consumer_name, [settings.engagement_topic],
                    partial(_follow_case, settings=settings), settings, applies_to=FOLLOWED_CASE_EVENT_TYPES)
    run_worker(app)


def _follow_case(cur, envelope, payload, *, settings: Settings) -> None:
    apply_case_event(cur, envelope, payload, settings)


if __name__ == "__main__":
    main()
