"""`python -m directory.entrypoints.rebuild` (`linkwell rebuild directory`): what the directory's
events carry, put back into its ORUK tables from its own event store.

The directory differs from the other services: its ORUK tables are its record of each service's
full document (locations, schedules, contacts, costs...), and its events carry a summary only (what
other services need for a local copy: docs/architecture.md §6.3). So a rebuild cannot make a
document from events; it re-derives, in event order, the columns the events do carry (a service's
`name`, `status`, `minimum_age`, `maximum_age`, `last_modified`; an organisation's `name`) and counts
the services and organisations the store knows that have no row (`missing_documents`: restore them
from a backup, `linkwell restore directory`). The documents themselves come back with a backup.

The directory has no consumer: instead the rebuild locks `organization` and `service` against
writes for its one transaction (a write through the API waits, then lands on the rebuilt rows).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from contracts.directory import (
    OrganizationPublished,
    OrganizationUpdated,
    ServicePublished,
    ServiceStatusChanged,
    ServiceUpdated,
)
from contracts.events import EventPayload
from directory.adapters import tables
from directory.bootstrap import bootstrap
from directory.config import Settings
from linkwell_runtime import replay

__all__ = ["Settings", "rebuild", "total_events"]


def total_events(settings: Settings) -> int:
    return replay.stored_event_count(settings.database_url)


def rebuild(settings: Settings, progress: replay.Progress | None = None) -> dict[str, int]:
    services = bootstrap(settings.model_copy(update={"seed_demo_data": False}))  # a rebuild writes no events
    try:
        with services.pool.transaction() as cur:
            cur.execute("LOCK TABLE organization, service IN EXCLUSIVE MODE")  # reads go on, writes wait
            applied, missing = 0, set()
            for batch in replay.stored_events(cur, settings.consumer_batch_size):
                for _, payload in batch:
                    if not _apply(cur, payload):
                        missing.add(_subject(payload))
                applied += len(batch)
                if progress is not None:
                    progress(len(batch))
            return {"applied": applied, "missing_documents": len(missing)} | replay.row_counts(
                cur, ("organization", "service")
            )
    finally:
        services.close()


def _apply(cur: Any, payload: EventPayload) -> bool:
    """The event's columns on its row; False when there is no row to put them on."""
    match payload:
        case ServicePublished() | ServiceUpdated():
            cur.execute(
                "UPDATE service SET name = %s, status = %s, minimum_age = %s, maximum_age = %s, last_modified = %s"
                " WHERE id = %s",
                (
                    payload.name,
                    payload.status.value,
                    payload.minimum_age,
                    payload.maximum_age,
                    payload.last_modified,
                    payload.service_id,
                ),
            )
            return bool(cur.rowcount)
        case ServiceStatusChanged():
            tables.save_service_status(cur, payload.service_id, payload.to_status.value, payload.last_modified)
            return bool(cur.rowcount)
        case OrganizationPublished() | OrganizationUpdated():
            cur.execute("UPDATE organization SET name = %s WHERE id = %s", (payload.name, payload.organization_id))
            return bool(cur.rowcount)
    return True


def _subject(payload: EventPayload) -> Any:
    return getattr(payload, "service_id", None) or getattr(payload, "organization_id", None)


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    print(json.dumps(rebuild(Settings())))


if __name__ == "__main__":
    main()
