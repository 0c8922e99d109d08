"""Container healthcheck for the Python processes.

    python /app/healthcheck.py http URL      # an API: its /ready answers 200
    python /app/healthcheck.py backbone      # a relay or consumer: its database and broker answer

Exit 0 when healthy, 1 otherwise (the reason on stderr). Settings from the environment, as the
process itself reads them (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS).
"""

import os
import socket
import sys
import urllib.request


def http(url: str) -> None:
    with urllib.request.urlopen(url, timeout=4) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{url} answered {answer.status}")


def backbone() -> None:
    import psycopg2

    with psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=4) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
    host, _, port = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092").split(",")[0].rpartition(":")
    socket.create_connection((host, int(port)), timeout=4).close()


def main() -> int:
    try:
        if sys.argv[1] == "http":
            http(sys.argv[2])
        else:
            backbone()
    except Exception as exc:  # noqa: BLE001 - any failure is unhealthy, with its reason
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
