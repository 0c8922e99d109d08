"""`python -m directory.entrypoints.seed`: publish the demo directory (idempotent)."""
from __future__ import annotations

from datetime import UTC, datetime

from linkwell_runtime import db

from directory.bootstrap import prepare_database
from directory.config import Settings
from directory.service_layer.handlers import Context
from directory.service_layer.seeding import seed_demo_services


def main() -> None:
    settings = Settings()
    prepare_database(settings.database_url)
    conn = db.connect(settings.database_url)
    try:
        with db.transaction(conn) as cur:
            count = seed_demo_services(cur, Context(topic=settings.directory_topic, now=datetime.now(UTC)))
    finally:
        conn.close()
    print(f"published {count} demo services")


if __name__ == "__main__":
    main()
