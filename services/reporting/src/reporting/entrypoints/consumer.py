"""`python -m reporting.entrypoints.consumer`: referral, engagement and commissioner events → facts
and projections, in batches (one faust worker handing each batch to the service layer), and the
patients' pseudonyms from their compacted topic (records, not events) → the matching of uploads."""

from __future__ import annotations

from linkwell_runtime.service import run_consumer
from reporting.bootstrap import bootstrap
from reporting.config import Settings
from reporting.service_layer.projections import apply_batch, apply_pseudonym_records


def main() -> None:
    settings = Settings()
    run_consumer(
        bootstrap(settings),
        settings.consumer_name,
        settings.consumed_topics,
        batch_handler=apply_batch,
        record_handler=apply_pseudonym_records,
        record_topics=[settings.patient_pseudonyms_topic],
    )


if __name__ == "__main__":
    main()
