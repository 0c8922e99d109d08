"""Commissioner uploads: validated by the domain, published as events and applied in one transaction.

An accepted upload is appended to reporting's event store + outbox (`linkwell.commissioner.v1`) and
applied to the fact tables with the same code the consumer runs; its event ids are recorded in
`processed_events` under the consumer's name in the same transaction, so the consumer (which reads
the topic too, for rebuilds) skips them. A rejected upload (`CsvRejected`) changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any
from uuid import UUID

from contracts import Envelope
from contracts.events import EventPayload
from contracts.pii import nhs_number_pseudonym
from linkwell_runtime.consumer import mark_processed
from reporting.adapters import fact_store, locks
from reporting.domain import CsvRejected, parse_comparison_costs, parse_hospital_activity, programme_start
from reporting.domain.commissioner_events import activity_uploaded, costs_uploaded
from reporting.domain.hospital_activity_csv import without_resent
from reporting.service_layer.projections import apply
from reporting.service_layer.unit_of_work import ReportingUnitOfWork


def upload_hospital_activity(uow: ReportingUnitOfWork, text: str) -> dict[str, Any]:
    upload_id = uuid.uuid4()
    key = uow.settings.pseudonym_key

    def pseudonymise(nhs: str) -> str:
        return nhs_number_pseudonym(nhs, key)

    patients = fact_store.patients_for_pseudonyms(uow.cur, _pseudonyms_named(text, pseudonymise, uow))
    parsed = parse_hospital_activity(
        text,
        upload_id=upload_id,
        recorded_at=uow.now,
        pseudonymise=pseudonymise,
        patient_for_pseudonym=patients,
        not_before=programme_start(uow.rulebooks),
    )
    locks.activity_uploads_one_at_a_time(uow.cur)  # between counting the stored rows and adding to them
    upload = without_resent(parsed, fact_store.activity_counts(uow.cur, {r.patient_id for r in parsed.rows}))
    envelopes = _publish(uow, upload_id, activity_uploaded(upload))
    counts = (len(upload.rows), len(upload.unmatched_lines), len(upload.resent_lines))
    fact_store.record_upload(uow.cur, upload_id, "hospital_activity", uow.now, counts, None)
    return {
        "upload_id": str(upload_id),
        "event_id": str(envelopes[0].event_id),
        "event_ids": [str(e.event_id) for e in envelopes],
        "rows_applied": len(upload.rows),
        "rows_unknown_nhs_number": len(upload.unmatched_lines),
        "unknown_nhs_number_lines": list(upload.unmatched_lines),
        "rows_already_uploaded": len(upload.resent_lines),
        "already_uploaded_lines": list(upload.resent_lines),
    }


def upload_comparison_costs(uow: ReportingUnitOfWork, text: str) -> dict[str, Any]:
    upload_id = uuid.uuid4()
    costs = parse_comparison_costs(
        text, upload_id=upload_id, recorded_at=uow.now, not_before=programme_start(uow.rulebooks)
    )
    [envelope] = _publish(uow, upload_id, [costs_uploaded(upload_id, costs)])
    quarters = [str(c.quarter) for c in costs]
    fact_store.record_upload(uow.cur, upload_id, "comparison_costs", uow.now, (len(costs), 0, 0), quarters)
    return {
        "upload_id": str(upload_id),
        "event_id": str(envelope.event_id),
        "rows_applied": len(costs),
        "quarters": quarters,
    }


def history(uow: ReportingUnitOfWork) -> list[dict[str, Any]]:
    """Every accepted upload (what it was, when, what it did), newest first."""
    return fact_store.uploads(uow.cur)


def _pseudonyms_named(text: str, pseudonymise: Callable[[str], str], uow: ReportingUnitOfWork) -> set[str]:
    """The pseudonyms of the file's NHS numbers: a first, pure pass of the parser that looks nobody
    up, so the patients are read with one query (a bad file raises again, with every error, below)."""
    wanted: set[str] = set()

    class Collect(dict[str, UUID]):
        def get(self, pseudonym: str, default: Any = None) -> Any:
            wanted.add(pseudonym)
            return default

    with suppress(CsvRejected):
        parse_hospital_activity(
            text,
            upload_id=uuid.uuid4(),
            recorded_at=uow.now,
            pseudonymise=pseudonymise,
            patient_for_pseudonym=Collect(),
        )
    return wanted


def _publish(uow: ReportingUnitOfWork, upload_id: UUID, payloads: Sequence[EventPayload]) -> list[Envelope]:
    """One upload = one aggregate; its events keep their order on one Kafka key."""
    envelopes = uow.commissioner_events.append(upload_id, 0, payloads, uow.stamp())
    apply(uow, list(zip(envelopes, payloads, strict=True)))
    mark_processed(uow.cur, uow.settings.consumer_name, envelopes, uow.settings.commissioner_topic)
    return envelopes
