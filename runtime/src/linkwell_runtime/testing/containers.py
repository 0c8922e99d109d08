"""The tests' broker and database as containers (`LINKWELL_TEST_SERVERS=containers`).

Kafka and PostgreSQL run from the project's own images (linkwell/kafka, linkwell/postgres: built by
deploy/bin/images, which the first use runs when they are missing) through testcontainers-python,
on the host network (the engine from deploy/bin/docker-engine has no bridge), listening on
127.0.0.1 at ports free when the session starts. Ryuk, testcontainers' reaper, is off unless
TESTCONTAINERS_RYUK_DISABLED=false (its image cannot be pulled where no registry answers): each
fixture stops and removes its container, volumes included. The default mode stays the native
deploy/bin scripts (servers.LocalServer), which start faster.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linkwell_runtime.testing.servers import kafka_password_file, repo_root

IMAGES = {"kafka": "linkwell/kafka", "postgres": "linkwell/postgres"}

_SESSION_PASSWORD = secrets.token_hex(24)  # the test PostgreSQL container's superuser password


def containers_mode() -> bool:
    return os.environ.get("LINKWELL_TEST_SERVERS", "native") == "containers"


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now, all different (each socket stays bound until all are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _image(kind: str) -> str:
    import docker  # type: ignore[import-untyped]  # docker-py ships no types

    name = f"{IMAGES[kind]}:{os.environ.get('IMAGE_TAG', 'latest')}"
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:  # no engine, no permission: say what to do
        raise RuntimeError(
            f"LINKWELL_TEST_SERVERS=containers needs a Docker engine ({exc}); run deploy/bin/docker-engine start"
        ) from exc
    try:
        client.images.get(name)
    except docker.errors.ImageNotFound:
        result = subprocess.run(
            [str(repo_root() / "deploy" / "bin" / "images"), kind], capture_output=True, text=True, timeout=1800
        )
        if result.returncode != 0:
            raise RuntimeError(f"deploy/bin/images {kind} failed:\n{result.stdout}\n{result.stderr}") from None
    return name


def kafka_secrets() -> Path:
    """The principals' passwords for a Kafka container, where the native broker keeps its own
    (servers.kafka_password_file): generated once, the image's kafka user's (10002) alone, 0400 (a
    client refuses a file others may read; the tests' clients run as root)."""
    folder = kafka_password_file("admin").parent
    folder.mkdir(parents=True, exist_ok=True)
    principals = (repo_root() / "deploy" / "kafka" / "principals").read_text().split("\n")
    for name in (p.strip() for p in principals if p.strip() and not p.startswith("#")):
        path = kafka_password_file(name)
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(32) + "\n")
        os.chown(path, 10002, 10001)
        path.chmod(0o400)
    os.chown(folder, 10002, 10001)
    folder.chmod(0o700)
    return folder


@dataclass
class ContainerServer:
    """A Kafka broker or a PostgreSQL server in a container, on free loopback ports."""

    kind: str  # "kafka" or "postgres"
    ports: dict[str, int] = field(default_factory=dict)
    _container: Any = None

    def start(self, timeout: float = 120.0) -> None:
        from testcontainers.core.config import testcontainers_config
        from testcontainers.core.container import DockerContainer

        if os.environ.get("TESTCONTAINERS_RYUK_DISABLED", "true").lower() != "false":
            testcontainers_config.ryuk_disabled = True
        image = _image(self.kind)
        volumes: dict[str, str] = {}
        if self.kind == "kafka":
            client, controller = free_ports(2)
            self.ports = {"KAFKA_PORT": client, "KAFKA_CONTROLLER_PORT": controller}
            env = {k: str(v) for k, v in self.ports.items()} | {"KAFKA_HEAP": "512m"}
            volumes[str(kafka_secrets())] = "/run/secrets/kafka"
        else:
            self.ports = {"PG_PORT": free_ports(1)[0]}
            env = {"PG_PORT": str(self.ports["PG_PORT"]), "PG_FAST": "1", "PG_SUPERUSER_PASSWORD": self.password}
        container = DockerContainer(image, network_mode="host")
        for key, value in env.items():
            container = container.with_env(key, value)
        for host_path, path in volumes.items():
            container = container.with_volume_mapping(host_path, path, "ro")
        container.start()
        self._container = container
        try:
            self._wait_ready(timeout)
            if self.kind == "kafka":  # as admin, the tests' principal (the plugin's environment)
                from linkwell_runtime.kafka_acls import apply

                apply(self.kafka_bootstrap)
        except Exception:  # noqa: BLE001 - whatever went wrong: remove the container, then say why
            logs = container.get_logs()
            self.stop()
            out = b"".join(part or b"" for part in logs).decode(errors="replace")[-4000:]
            raise RuntimeError(f"{image} did not become ready in {timeout:.0f}s; its output:\n{out}") from None

    @property
    def password(self) -> str:
        """The superuser's: PG_SUPERUSER_PASSWORD, or one made for this test session (never the role's name)."""
        return os.environ.get("PG_SUPERUSER_PASSWORD") or _SESSION_PASSWORD

    @property
    def kafka_bootstrap(self) -> str:
        return f"127.0.0.1:{self.ports['KAFKA_PORT']}"

    @property
    def postgres_url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.ports['PG_PORT']}/postgres"

    def _running(self) -> bool:
        self._container.get_wrapped_container().reload()
        return bool(self._container.get_wrapped_container().status == "running")

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._running():
                raise RuntimeError("the container exited")
            if self._ready():
                return
            time.sleep(0.5)
        raise TimeoutError

    def _ready(self) -> bool:
        if self.kind == "kafka":
            import logging

            from kafka import KafkaAdminClient
            from kafka.errors import KafkaError

            from linkwell_runtime.kafka_auth import connection

            logging.getLogger("kafka").setLevel(logging.CRITICAL)
            try:
                admin = KafkaAdminClient(
                    **connection(self.kafka_bootstrap), request_timeout_ms=5000, client_id="linkwell-ready"
                )
            except (KafkaError, OSError):  # not listening yet
                return False
            try:
                return bool(admin.describe_cluster()["brokers"])
            except (KafkaError, OSError):  # not a broker yet
                return False
            finally:
                admin.close()
        import psycopg2

        try:
            psycopg2.connect(self.postgres_url, connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def stop(self) -> None:
        if self._container is not None:
            self._container.stop()  # removes the container and its anonymous volumes
            self._container = None
