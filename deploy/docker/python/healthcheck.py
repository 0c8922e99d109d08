"""Container healthcheck for the Python processes.

    python /app/healthcheck.py http URL      # an API: its /ready answers 200
    python /app/healthcheck.py backbone      # a relay or consumer: its database and a broker answer
    python /app/healthcheck.py engine        # the watchdog: the Docker engine answers on DOCKER_SOCKET

Exit 0 when healthy, 1 otherwise (the reason on stderr). Settings from the environment, as the
process itself reads them (DATABASE_URL, DATABASE_PASSWORD_FILE, KAFKA_BOOTSTRAP_SERVERS).
"""

import os
import socket
import sys
import urllib.request


def http(url: str) -> None:
    with urllib.request.urlopen(url, timeout=4) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{url} answered {answer.status}")


def database_url() -> str:
    """DATABASE_URL with the password from DATABASE_PASSWORD_FILE when set, as the process reads it."""
    url = os.environ["DATABASE_URL"]
    if os.environ.get("DATABASE_PASSWORD_FILE"):
        from linkwell_runtime.settings import with_password_from

        url = with_password_from(url, os.environ["DATABASE_PASSWORD_FILE"])
    return url


def backbone() -> None:
    import psycopg2

    with psycopg2.connect(database_url(), connect_timeout=4) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
    # Any one broker of the list answering will do: a cluster that lost one broker still serves.
    failures = []
    for server in os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092").split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            socket.create_connection((host, int(port)), timeout=2).close()
            return
        except OSError as exc:
            failures.append(f"{server}: {exc}")
    raise RuntimeError("no Kafka broker answers: " + "; ".join(failures))


def engine() -> None:
    """GET /_ping on the engine's socket, with the standard library only (a quick start under load)."""
    path = os.environ.get("DOCKER_SOCKET", "/var/run/docker.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(4)
        s.connect(path)
        s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        status = s.recv(64).split(b"\r\n", 1)[0]
    if b" 200 " not in status + b" ":
        raise RuntimeError(f"the engine on {path} answered {status!r}")


def main() -> int:
    try:
        if sys.argv[1] == "http":
            http(sys.argv[2])
        elif sys.argv[1] == "engine":
            engine()
        else:
            backbone()
    except Exception as exc:  # noqa: BLE001 - any failure is unhealthy, with its reason
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
