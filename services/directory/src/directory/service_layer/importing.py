"""Import of an ORUK 3.0 JSON dump as a bulk publish: each service is published (or, when the
directory already has it, updated) through the ordinary use cases, one transaction per service.
Nested organisations and taxonomy terms that the directory does not know yet are created first."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from contracts.directory import ServiceStatus
from directory.adapters import oruk_queries, tables
from directory.domain.errors import DirectoryError
from directory.domain.inputs import OrganizationIn, ServiceIn, known_fields_only
from directory.service_layer import handlers
from directory.service_layer.unit_of_work import DirectoryServices, DirectoryUnitOfWork
from linkwell_runtime.eventstore import ConcurrencyConflict

IMPORTED_TAXONOMY = "Imported taxonomy"


@dataclass
class ImportReport:
    published: int = 0
    updated: int = 0
    unchanged: int = 0  # defunct in the directory and in the dump: nothing can change
    failed: list[tuple[str, str]] = field(default_factory=list)  # (service id or position, reason)


def import_service(uow: DirectoryUnitOfWork, document: dict[str, Any]) -> str:
    """Publish or update one ORUK service document; returns "published", "updated" or "unchanged"."""
    service = ServiceIn.model_validate(known_fields_only(ServiceIn, document))
    if isinstance(document.get("organization"), dict):
        _ensure_organization(
            uow, OrganizationIn.model_validate(known_fields_only(OrganizationIn, document["organization"]))
        )
    for attribute in document.get("attributes") or []:
        if isinstance(attribute.get("taxonomy_term"), dict):
            _ensure_term(uow.cur, attribute["taxonomy_term"])
    state = handlers.service_state(uow, service.id)
    if not state.exists:
        handlers.publish_service(uow, service)
        return "published"
    if state.status == service.status == ServiceStatus.DEFUNCT:
        return "unchanged"
    handlers.update_service(uow, service)
    return "updated"


def import_all(services: DirectoryServices, documents: list[dict[str, Any]]) -> ImportReport:
    """One transaction per service, so one bad record does not stop the rest."""
    report = ImportReport()
    for position, document in enumerate(documents):
        try:
            with services.pool.transaction() as cur:
                outcome = import_service(services.unit_of_work(cur), document)
            setattr(report, outcome, getattr(report, outcome) + 1)
        except (ValidationError, DirectoryError, ConcurrencyConflict) as exc:
            report.failed.append((str(document.get("id", f"#{position}")), str(exc).splitlines()[0][:300]))
    return report


def _ensure_organization(uow: DirectoryUnitOfWork, org: OrganizationIn) -> None:
    stored = oruk_queries.one(uow.cur, "organization", org.id)
    if stored is None:
        handlers.publish_organization(uow, org)
    elif stored != org.model_dump(mode="json", exclude_none=True):
        handlers.update_organization(uow, org)


def _ensure_term(cur: Any, term: dict[str, Any]) -> None:
    if term.get("taxonomy_id") and oruk_queries.one(cur, "taxonomy", term["taxonomy_id"]) is None:
        tables.save_taxonomy(
            cur,
            {
                "id": term["taxonomy_id"],
                "name": term.get("taxonomy") or IMPORTED_TAXONOMY,
                "description": "Created by an ORUK import",
            },
        )
    tables.save_taxonomy_term(cur, {"description": term.get("name", "")} | term)
