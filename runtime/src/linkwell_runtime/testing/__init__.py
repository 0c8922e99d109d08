"""Test support: real Kafka and PostgreSQL fixtures (a pytest plugin) and polling helpers."""
from linkwell_runtime.testing.polling import wait_until

__all__ = ["wait_until"]
