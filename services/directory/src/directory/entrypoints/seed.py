"""`python -m directory.entrypoints.seed`: publish the demo directory (idempotent)."""

from __future__ import annotations

from directory.bootstrap import bootstrap
from directory.config import Settings
from directory.service_layer.seeding import seed_demo_services


def main() -> None:
    services = bootstrap(Settings(seed_demo_data=False))  # seeded here, to count what is new
    try:
        count = seed_demo_services(services)
    finally:
        services.close()
    print(f"published {count} demo services")


if __name__ == "__main__":
    main()
