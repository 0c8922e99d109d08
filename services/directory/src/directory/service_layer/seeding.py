"""Loads the demo directory (taxonomy, organisations, services) through the ordinary use cases, so
the demo services reach Kafka like any other. Re-running skips what is already published."""
from __future__ import annotations

from linkwell_runtime import eventstore

from directory.adapters import demo_data, tables
from directory.adapters.postcodes import seed_postcodes
from directory.service_layer import handlers
from directory.service_layer.handlers import Context


def seed_reference_data(cur) -> None:
    """Postcode centroids and the linkage-category taxonomy (not event-sourced: reference data)."""
    seed_postcodes(cur)
    tables.save_taxonomy(cur, demo_data.TAXONOMY)
    for term in demo_data.terms():
        tables.save_taxonomy_term(cur, term)


def seed_demo_services(cur, ctx: Context) -> int:
    """Publishes the demo organisations and services not yet published; returns how many services."""
    for org in demo_data.organizations():
        if eventstore.current_version(cur, str(org.id)) == 0:
            handlers.publish_organization(cur, org, ctx)
    published = 0
    for service in demo_data.services():
        if eventstore.current_version(cur, str(service.id)) == 0:
            handlers.publish_service(cur, service, ctx)
            published += 1
    return published
