"""Group the 5xx findings of fuzz/probes.py runs (OUT/probes-*.json) by endpoint and final log line."""

import json
import os
import re
import sys
from collections import OrderedDict
from pathlib import Path

OUT = Path(os.environ.get("OUT", ".local/fuzz"))
groups = OrderedDict()
for f in sorted(OUT.glob("probes-*.json")):
    for rec in json.loads(f.read_text())["findings"]:
        path = re.sub(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", rec["path"].split("?")[0]
        )
        exc = next(
            (
                line
                for line in reversed(rec.get("log", []))
                if re.match(r"^[A-Za-z_][\w.]*(: |$)", line) and not line.startswith("Traceback")
            ),
            "?",
        )
        key = (rec["service"], rec["method"], path[:80], exc[:160])
        groups.setdefault(key, []).append(rec)
for (svc, method, path, exc), recs in groups.items():
    print(f"{svc:10} {method:5} {path:60} x{len(recs):<3} {exc}")
    if "-v" in sys.argv:
        print("      e.g.", recs[0]["label"][:120])
        print("      ", recs[0]["curl"][:400])
