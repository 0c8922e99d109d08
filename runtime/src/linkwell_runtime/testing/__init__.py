"""Test support: real Kafka and PostgreSQL fixtures (a pytest plugin), database and polling helpers."""

from linkwell_runtime.testing.database import admin, cursor, query, scalar
from linkwell_runtime.testing.polling import wait_until

__all__ = ["admin", "cursor", "query", "scalar", "wait_until"]
