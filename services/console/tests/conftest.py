"""Puts this folder on the path: `console_testkit` serves the integration and browser tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
