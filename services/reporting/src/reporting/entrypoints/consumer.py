"""`python -m reporting.entrypoints.consumer`: referral, engagement and commissioner events → facts
and projections, in batches (one faust worker; thin: decode → the projection handler)."""
from __future__ import annotations

from collections.abc import Sequence

from linkwell_runtime.consumer import Decoded
from linkwell_runtime.worker import build_app, run_worker
from reporting.adapters.projections import apply_events
from reporting.bootstrap import prepare_database
from reporting.config import Settings


def apply_batch(cur, items: Sequence[Decoded]) -> None:
    apply_events(cur, [(item.envelope, item.payload) for item in items])


def main() -> None:
    settings = Settings()
    prepare_database(settings.database_url)
    app = build_app(settings.consumer_name, settings.consumed_topics, None, settings, batch_handler=apply_batch)
    run_worker(app)


if __name__ == "__main__":
    main()
