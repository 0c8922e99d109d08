"""Importing this module registers every published event type: one import line per module."""

from __future__ import annotations

# Imported for their side effect: each module registers its event types.
import contracts.casework
import contracts.commissioner
import contracts.directory
import contracts.engagement
import contracts.practice
import contracts.referral
import contracts.reporting  # noqa: F401  (ruff counts only the last rebinding of `contracts` as unused)
