"""`python -m reporting.entrypoints.consumer`: referral, engagement and commissioner events → facts
and projections, in batches (one faust worker handing each batch to the service layer)."""

from __future__ import annotations

from linkwell_runtime.service import run_consumer
from reporting.bootstrap import bootstrap
from reporting.config import Settings
from reporting.service_layer.projections import apply_batch


def main() -> None:
    settings = Settings()
    run_consumer(bootstrap(settings), settings.consumer_name, settings.consumed_topics, batch_handler=apply_batch)


if __name__ == "__main__":
    main()
