"""Plumbing shared by every Linkwell service, written once: event store, outbox relay,
idempotent consumer, settings, auth, health. Services import it; they never copy it."""
