"""`python -m directory.entrypoints.import_oruk PATH...`: import an ORUK 3.0 JSON dump.

A PATH is a file holding one service, a list of services, or an ORUK page (`{"contents": [...]}`),
or a directory of such files (a paged ORUK API's pages saved to disk), read in name order.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from linkwell_runtime import db

from directory.bootstrap import prepare_database
from directory.config import Settings
from directory.service_layer.handlers import Context
from directory.service_layer.importing import import_all


def read_dump(paths: list[Path]) -> list[dict]:
    documents: list[dict] = []
    for path in paths:
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            data = json.loads(file.read_text("utf-8"))
            documents += data if isinstance(data, list) else data["contents"] if "contents" in data else [data]
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    settings = Settings()
    prepare_database(settings.database_url)
    pool = db.Pool(settings.database_url, maxconn=1)
    try:
        report = import_all(pool.transaction, read_dump(args.paths),
                            Context(topic=settings.directory_topic, now=datetime.now(UTC)))
    finally:
        pool.close()
    print(f"published {report.published}, updated {report.updated}, unchanged {report.unchanged},"
          f" failed {len(report.failed)}")
    for ident, reason in report.failed:
        print(f"  {ident}: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
