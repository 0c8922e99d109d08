"""Summarise distinct server tracebacks in the running platform's API logs.

Usage: .venv/bin/python fuzz/tracebacks.py [--since-bytes-file F]
Groups each traceback by (last frame inside the repository's services, runtime or contracts, final exception line)
and prints a count plus one example. Reads .local/dev/run/*-api.log.
"""

import re
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
logs = sorted((ROOT / ".local/dev/run").glob("*-api.log"))
for log in logs:
    lines = log.read_text("utf-8", "replace").splitlines()
    groups: "OrderedDict[tuple, list]" = OrderedDict()
    i = 0
    while i < len(lines):
        if lines[i].startswith("Traceback (most recent call last)"):
            frames, j = [], i + 1
            while j < len(lines) and (
                lines[j].startswith(" ")
                or lines[j].startswith("Traceback")
                or lines[j].startswith("During handling")
                or lines[j].startswith("The above")
                or not lines[j].strip()
            ):
                if lines[j].strip().startswith("File "):
                    frames.append(lines[j].strip())
                j += 1
            exc = lines[j] if j < len(lines) else "?"
            proj = [f for f in frames if re.search(r"/(services|runtime|contracts)/(src|[a-z_]+/src)/", f)]
            key = (proj[-1] if proj else (frames[-1] if frames else "?"), exc[:200])
            groups.setdefault(key, []).append(i)
            i = j
        else:
            i += 1
    if groups:
        print(f"== {log.name}")
        for (frame, exc), where in groups.items():
            print(f"  {len(where):4d}x  {exc}\n         at {frame}")
