"""`python -m referral.entrypoints.rebuild` (`linkwell rebuild referral`): the read model again from
this service's own event store.

Derived: `referrals`, `practices`, `providers`, `link_workers`, a fold of the referral events
(`adapters.projection.project`, the write path's own projection). Every referral event is in the
event store, those the consumer causes from engagement's events too, so nothing is read from Kafka
and the consumer's `processed_events` stay as they are. Not derived, left alone: `patient_keys`,
`access_audit`, `ignored_case_events`, the outbox and idempotency keys. One transaction
(`linkwell_runtime.replay`); stop `referral-consumer` first (`linkwell rebuild` refuses otherwise).
"""

from __future__ import annotations

import json
import logging
import sys

from linkwell_runtime import replay
from referral.adapters.projection import project
from referral.bootstrap import bootstrap
from referral.config import Settings

DERIVED = ("referrals", "practices", "providers", "link_workers")

__all__ = ["Settings", "rebuild", "total_events"]


def total_events(settings: Settings) -> int:
    return replay.stored_event_count(settings.database_url)


def rebuild(settings: Settings, progress: replay.Progress | None = None) -> dict[str, int]:
    services = bootstrap(settings.model_copy(update={"seed_reference_data": False}))  # a rebuild writes no events
    try:
        with services.pool.transaction() as cur:
            replay.empty(cur, DERIVED)
            applied = 0
            for batch in replay.stored_events(cur, settings.consumer_batch_size):
                for envelope, payload in batch:
                    project(cur, envelope, payload)
                applied += len(batch)
                if progress is not None:
                    progress(len(batch))
            return {"applied": applied} | replay.row_counts(cur, DERIVED)
    finally:
        services.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(json.dumps(rebuild(Settings())))


if __name__ == "__main__":
    main()
