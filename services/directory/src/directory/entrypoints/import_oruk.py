"""`python -m directory.entrypoints.import_oruk PATH...`: import an ORUK 3.0 JSON dump.

A PATH is a file holding one service, a list of services, or an ORUK page (`{"contents": [...]}`),
or a directory of such files (a paged ORUK API's pages saved to disk), read in name order.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from directory.bootstrap import bootstrap
from directory.service_layer.importing import import_all


def read_dump(paths: list[Path]) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            data = json.loads(file.read_text("utf-8"))
            documents += data if isinstance(data, list) else data.get("contents", [data])
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    services = bootstrap()
    try:
        report = import_all(services, read_dump(args.paths))
    finally:
        services.close()
    print(
        f"published {report.published}, updated {report.updated}, unchanged {report.unchanged},"
        f" failed {len(report.failed)}"
    )
    for ident, reason in report.failed:
        print(f"  {ident}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
