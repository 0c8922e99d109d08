"""End-to-end fixtures: a fresh database per service and the platform's processes on unique topics."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from e2e_platform import SERVICES, Platform


@pytest.fixture
def databases(database_factory) -> dict[str, str]:
    return {svc: database_factory() for svc in SERVICES}


@pytest.fixture
def platform(databases, kafka_bootstrap, topic_factory):
    started = Platform(databases, kafka_bootstrap, topic_factory)
    try:
        yield started
    finally:
        print(started.logs())  # pytest shows captured output only when the test failed
        started.close()
