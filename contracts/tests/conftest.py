"""pytest.ini runs tests with --import-mode=importlib, which names these files `contracts.tests.*`
and, since this folder is no package, registers the folder above (the repository's `contracts/`) as a
namespace package called `contracts`, hiding the installed one. Put the real package back first.
"""

from __future__ import annotations

import importlib
import sys

if getattr(sys.modules.get("contracts"), "__file__", None) is None:
    sys.modules.pop("contracts", None)
    importlib.import_module("contracts")
