"""Importing this module registers every published event type: one import line per module."""
from __future__ import annotations

import contracts.referral  # noqa: F401
import contracts.engagement  # noqa: F401
import contracts.directory  # noqa: F401
import contracts.commissioner  # noqa: F401
import contracts.reporting  # noqa: F401
