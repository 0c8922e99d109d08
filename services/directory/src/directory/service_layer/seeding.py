"""Loads the demo directory (taxonomy, organisations, services) through the ordinary use cases, so
the demo services reach Kafka like any other. Re-running skips what is already published."""

from __future__ import annotations

from typing import Any

from directory.adapters import demo_data, tables
from directory.adapters.postcodes import seed_postcodes
from directory.service_layer import handlers
from directory.service_layer.unit_of_work import DirectoryServices


def seed_reference_data(cur: Any) -> None:
    """Postcode centroids and the linkage-category taxonomy (not event-sourced: reference data)."""
    seed_postcodes(cur)
    tables.save_taxonomy(cur, demo_data.TAXONOMY)
    for term in demo_data.terms():
        tables.save_taxonomy_term(cur, term)


def seed_demo_services(services: DirectoryServices) -> int:
    """Publishes, in one transaction, the demo organisations and services not yet published; returns
    how many services."""
    with services.pool.transaction() as cur:
        uow = services.unit_of_work(cur)
        for org in demo_data.organizations():
            if uow.events.version_of(org.id) == 0:
                handlers.publish_organization(uow, org)
        published = 0
        for service in demo_data.services():
            if uow.events.version_of(service.id) == 0:
                handlers.publish_service(uow, service)
                published += 1
    return published
