"""`python -m engagement.entrypoints.rebuild` (`linkwell rebuild engagement`): the read models again
from the events they derive from.

- `cases` (one row per case) and `safeguarding_concerns` (one per concern): each case folded from its
  events in this service's own event store and projected as the write path does
  (`adapters.read_model.project`).
- The local copies of other services' data, from the topics the consumer reads, from the beginning:
  `referral_intake` and `pending_allocations` (ReferralReceived, ReferralAllocated,
  PatientPracticeChanged), `link_workers` (LinkWorkerRegistered/Updated) and `directory_services`
  (the directory's service events); `erased_patients` is added to, never emptied (PatientErased).

A rebuild only re-derives: it never opens or closes a case (those events are already in the store),
so the consumer's `processed_events` stay as they are. Not derived, left alone: `case_texts` (free
text never published), `access_audit`, the outbox and idempotency keys. A message the live consumer
dead-lettered is skipped and counted. One transaction (`linkwell_runtime.replay`); stop
`engagement-consumer` first (`linkwell rebuild` refuses otherwise).
"""

from __future__ import annotations

import json
import logging
import sys
from uuid import UUID

from contracts import Envelope
from contracts.codec import decode
from contracts.engagement import CaseOpened
from contracts.errors import ContractError
from contracts.events import EventPayload
from contracts.referral import (
    LinkWorkerRegistered,
    LinkWorkerUpdated,
    PatientErased,
    PatientPracticeChanged,
    ReferralAllocated,
    ReferralReceived,
)
from contracts.topics import DIRECTORY
from engagement.adapters import case_texts, local_copies, read_model
from engagement.adapters.local_copies import Allocation
from engagement.bootstrap import EngagementServices, bootstrap
from engagement.config import Settings
from engagement.domain import Case
from engagement.service_layer.directory_events import apply_directory_event
from linkwell_runtime import ops, replay

log = logging.getLogger("engagement.rebuild")

CASES = ("cases", "safeguarding_concerns")
LOCAL_COPIES = ("referral_intake", "pending_allocations", "link_workers", "directory_services")

__all__ = ["Settings", "rebuild", "total_events"]


def _topics(settings: Settings) -> list[str]:
    return [settings.referral_topic, settings.directory_topic]


def total_events(settings: Settings) -> int:
    stored = replay.stored_event_count(settings.database_url, [CaseOpened.aggregate_type])
    return stored + ops.message_count(settings.kafka_bootstrap_servers, _topics(settings), settings)


def rebuild(settings: Settings, progress: replay.Progress | None = None) -> dict[str, int]:
    services = bootstrap(settings.model_copy(update={"case_cache_size": 0}))
    step = progress or (lambda n: None)
    try:
        with services.pool.transaction() as cur:
            replay.empty(cur, CASES + LOCAL_COPIES)
            case_events = _cases(cur, settings.consumer_batch_size, step)
            consumed, skipped = _local_copies(services, cur, step)
            return {"case_events": case_events, "consumed": consumed, "skipped": skipped} | replay.row_counts(
                cur, CASES + LOCAL_COPIES
            )
    finally:
        services.close()


def _cases(cur, batch_size: int, progress: replay.Progress) -> int:
    """Every case folded from its events (stored together per case, in version order) and projected."""
    count, case_id, events = 0, None, list[EventPayload]()
    for batch in replay.stored_events(cur, batch_size, aggregate_types=[CaseOpened.aggregate_type], by_aggregate=True):
        for envelope, payload in batch:
            if envelope.aggregate_id != case_id and events:
                read_model.project(cur, Case.from_events(events))
                events = []
            case_id = envelope.aggregate_id
            events.append(payload)
        count += len(batch)
        progress(len(batch))
    if events:
        read_model.project(cur, Case.from_events(events))
    return count


def _local_copies(services: EngagementServices, cur, progress: replay.Progress) -> tuple[int, int]:
    settings = services.settings
    applied = skipped = 0
    for batch in replay.read_to_end(
        settings.kafka_bootstrap_servers, _topics(settings), settings.consumer_batch_size, settings
    ):
        for message in batch:
            try:
                envelope, payload = decode(message.value or b"")  # a tombstone: malformed here, skipped
            except ContractError as exc:  # the live consumer dead-lettered it
                log.warning("skipped %s[%d]@%d: %s", message.topic, message.partition, message.offset, exc)
                skipped += 1
                continue
            if payload is not None:
                _copy(services, cur, envelope, payload)
            applied += 1
        progress(len(batch))
    return applied, skipped


def _copy(services: EngagementServices, cur, envelope: Envelope, payload: EventPayload) -> None:
    """What the consumer writes to its local copies for this event, without what it does to cases
    (service_layer.referral_events): an allocation waits for its intake exactly as it did live."""
    if payload.topic == DIRECTORY:
        apply_directory_event(services.unit_of_work(cur, cause=envelope), envelope, payload)
    elif isinstance(payload, ReferralReceived):
        local_copies.remember_intake(cur, payload.referral_id, payload.patient_id, payload.practice_ods_code)
        local_copies.take_parked_allocation(cur, payload.referral_id)  # live, its case opened here
    elif isinstance(payload, ReferralAllocated) and local_copies.intake(cur, payload.referral_id) is None:
        local_copies.park_allocation(cur, _allocation(payload, envelope.event_id, envelope.correlation_id))
    elif isinstance(payload, PatientPracticeChanged):
        local_copies.move_intake_practice(cur, payload.referral_id, payload.practice_ods_code)
    elif isinstance(payload, PatientErased):
        case_texts.erase_patient_texts(cur, payload.patient_id, payload.erased_at)
    elif isinstance(payload, LinkWorkerRegistered | LinkWorkerUpdated):
        local_copies.upsert_link_worker(
            cur, payload.link_worker_id, payload.provider_id, payload.display_name, payload.active
        )


def _allocation(payload: ReferralAllocated, event_id: UUID, correlation_id: UUID | None) -> Allocation:
    return Allocation(
        payload.referral_id, payload.provider_id, payload.link_worker_id, payload.allocated_on, event_id, correlation_id
    )


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(json.dumps(rebuild(Settings())))


if __name__ == "__main__":
    main()
