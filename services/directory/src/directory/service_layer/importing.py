"""Import of an ORUK 3.0 JSON dump as a bulk publish: each service is published (or, when the
directory already has it, updated) through the ordinary use cases, one transaction per service.
Nested organisations and taxonomy terms that the directory does not know yet are created first."""
from __future__ import annotations

from dataclasses import dataclass, field

from contracts.directory import ServiceStatus
from linkwell_runtime import eventstore
from pydantic import ValidationError

from directory.adapters import oruk_queries, tables
from directory.domain.errors import DirectoryError
from directory.domain.inputs import OrganizationIn, ServiceIn, known_fields_only
from directory.service_layer import handlers
from directory.service_layer.handlers import Context

IMPORTED_TAXONOMY = "Imported taxonomy"


@dataclass
class ImportReport:
    published: int = 0
    updated: int = 0
    unchanged: int = 0  # defunct in the directory and in the dump: nothing can change
    failed: list[tuple[str, str]] = field(default_factory=list)  # (service id or position, reason)


def import_service(cur, document: dict, ctx: Context) -> str:
    """Publish or update one ORUK service document; returns "published", "updated" or "unchanged"."""
    service = ServiceIn.model_validate(known_fields_only(ServiceIn, document))
    if isinstance(document.get("organization"), dict):
        _ensure_organization(cur, OrganizationIn.model_validate(known_fields_only(OrganizationIn, document["organization"])), ctx)
    for attribute in document.get("attributes") or []:
        if isinstance(attribute.get("taxonomy_term"), dict):
            _ensure_term(cur, attribute["taxonomy_term"])
    if not handlers.service_exists(cur, service.id):
        handlers.publish_service(cur, service, ctx)
        return "published"
    if handlers.service_status(cur, service.id) == service.status == ServiceStatus.DEFUNCT:
        return "unchanged"
    handlers.update_service(cur, service, ctx)
    return "updated"


def import_all(transaction, documents: list[dict], ctx: Context) -> ImportReport:
    """`transaction()` opens one transaction per service, so one bad record does not stop the rest."""
    report = ImportReport()
    for position, document in enumerate(documents):
        try:
            with transaction() as cur:
                outcome = import_service(cur, document, ctx)
            setattr(report, outcome, getattr(report, outcome) + 1)
        except (ValidationError, DirectoryError, eventstore.ConcurrencyConflict) as exc:
            report.failed.append((str(document.get("id", f"#{position}")), str(exc).splitlines()[0][:300]))
    return report


def _ensure_organization(cur, org: OrganizationIn, ctx: Context) -> None:
    stored = oruk_queries.one(cur, "organization", org.id)
    if stored is None:
        handlers.publish_organization(cur, org, ctx)
    elif stored != org.model_dump(mode="json", exclude_none=True):
        handlers.update_organization(cur, org, ctx)


def _ensure_term(cur, term: dict) -> None:
    if term.get("taxonomy_id") and oruk_queries.one(cur, "taxonomy", term["taxonomy_id"]) is None:
        tables.save_taxonomy(cur, {"id": term["taxonomy_id"], "name": term.get("taxonomy") or IMPORTED_TAXONOMY,
                                   "description": "Created by an ORUK import"})
    tables.save_taxonomy_term(cur, {"description": term.get("name", "")} | term)
