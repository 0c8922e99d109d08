"""Puts this folder on the path: `reporting_builders` (facts about cases) serves unit and integration tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
