"""The platform's real processes for the demo's integration test: the referral, engagement and
directory APIs, their outbox relays and consumers, each service on a fresh database, on unique
topics of the real broker (the fixtures of the `linkwell` pytest plugin)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import httpx

from linkwell_demo.load import Urls
from linkwell_runtime.testing.database import admin
from linkwell_runtime.testing.polling import wait_until
from linkwell_runtime.testing.processes import Process

UVICORN = ["-m", "uvicorn", "--factory", "--host", "127.0.0.1", "--log-level", "warning"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def fresh_databases(postgres_url: str, names: list[str]) -> Iterator[dict[str, str]]:
    parts = urlsplit(postgres_url)
    made = {n: f"t_demo_{n}_{uuid.uuid4().hex[:10]}" for n in names}
    for db in made.values():
        admin(postgres_url, f'CREATE DATABASE "{db}"')
    try:
        yield {n: urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, "")) for n, db in made.items()}
    finally:
        for db in made.values():
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


@contextmanager
def running_platform(
    kafka_bootstrap: str,
    postgres_url: str,
    topic_factory: Callable[..., str],
    *,
    referral_api_args: list[str] | None = None,
    with_reporting: bool = False,
) -> Iterator[Urls]:
    """Yields the APIs' URLs once they are ready. Reporting is started only `with_reporting` (its URL
    otherwise points at a port nobody listens on)."""
    topics = {
        "REFERRAL_TOPIC": topic_factory("referral"),
        "ENGAGEMENT_TOPIC": topic_factory("engagement"),
        "DIRECTORY_TOPIC": topic_factory("directory"),
        "PRACTICE_TOPIC": topic_factory("practice"),  # referral's consumer keeps the summaries sent to practices
        "PATIENT_PSEUDONYMS_TOPIC": topic_factory("patient-pseudonyms"),  # referral's relay publishes there
    }
    if with_reporting:
        topics |= {"COMMISSIONER_TOPIC": topic_factory("commissioner"), "REPORTING_TOPIC": topic_factory("reporting")}
    ports = {name: free_port() for name in ("referral", "engagement", "directory", "reporting")}
    tag = uuid.uuid4().hex[:8]
    services = ["referral", "engagement", "directory"] + (["reporting"] if with_reporting else [])
    with fresh_databases(postgres_url, services) as dbs:

        def env(service: str, **extra: str) -> dict[str, str]:
            return {
                "DATABASE_URL": dbs[service],
                "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
                "ENVIRONMENT": "test",
                "LINKWELL_FAILPOINTS": "",
                **topics,
                **extra,
            }

        processes = [
            Process(
                [*UVICORN, "directory.entrypoints.api:app_from_env", "--port", str(ports["directory"])],
                env("directory", SEED_DEMO_DATA="true"),
                "directory-api",
            ),
            Process(["-m", "linkwell_runtime.relay"], env("directory"), "directory-relay"),
            Process(
                referral_api_args or [*UVICORN, "referral.entrypoints.api:app_from_env"],
                env("referral"),
                "referral-api",
            ),
            Process(["-m", "linkwell_runtime.relay"], env("referral"), "referral-relay"),
            Process(
                ["-m", "referral.entrypoints.consumer"],
                env("referral", CONSUMER_NAME=f"demo-referral-{tag}"),
                "referral-consumer",
            ),
            Process(
                [*UVICORN, "engagement.entrypoints.api:app_from_env", "--port", str(ports["engagement"])],
                env("engagement"),
                "engagement-api",
            ),
            Process(["-m", "linkwell_runtime.relay"], env("engagement"), "engagement-relay"),
            Process(
                ["-m", "engagement.entrypoints.consumer"],
                env("engagement", CONSUMER_NAME=f"demo-engagement-{tag}"),
                "engagement-consumer",
            ),
        ]
        processes[2].args += ["--port", str(ports["referral"])]
        if with_reporting:
            processes += [
                Process(
                    [*UVICORN, "reporting.entrypoints.api:app_from_env", "--port", str(ports["reporting"])],
                    env("reporting"),
                    "reporting-api",
                ),
                Process(["-m", "linkwell_runtime.relay"], env("reporting"), "reporting-relay"),
                Process(
                    ["-m", "reporting.entrypoints.consumer"],
                    env("reporting", CONSUMER_NAME=f"demo-reporting-{tag}"),
                    "reporting-consumer",
                ),
            ]
        urls = Urls(
            referral=f"http://127.0.0.1:{ports['referral']}",
            engagement=f"http://127.0.0.1:{ports['engagement']}",
            directory=f"http://127.0.0.1:{ports['directory']}",
            reporting=f"http://127.0.0.1:{ports['reporting']}",
        )
        try:
            for p in processes:
                p.start()

            def ready() -> bool:
                for p in processes:
                    if not p.alive():
                        raise AssertionError(f"{p.name} exited:\n{p.log_tail()}")
                for url in (urls.referral, urls.engagement, urls.directory) + (
                    (urls.reporting,) if with_reporting else ()
                ):
                    try:
                        if httpx.get(f"{url}/ready", timeout=2).status_code != 200:
                            return False
                    except httpx.HTTPError:
                        return False
                return True

            wait_until(ready, timeout=120, interval=0.5, what="the three APIs ready")
            yield urls
        except BaseException:
            for p in processes:
                print(f"--- {p.name} ---\n{p.log_tail(30)}")
            raise
        finally:
            for p in processes:
                p.stop()
