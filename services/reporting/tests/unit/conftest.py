"""Shared fixtures: the packaged rulebooks."""

import pytest

from reporting.domain import load_packaged_rulebooks


@pytest.fixture
def rulebooks():
    return load_packaged_rulebooks()
