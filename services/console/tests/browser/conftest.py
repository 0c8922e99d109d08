"""Browser tests: Debian's Chromium driven by Playwright against real processes (referral and reporting
APIs under uvicorn on fresh databases, the console under uvicorn), all started by the test.

Skipped when /usr/bin/chromium is missing (`deploy/bin/chromium install`, run by `make install`, puts it
there); Playwright never downloads a browser here."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from browser_kit import free_port, serving, uvicorn
from console_testkit import Seeded, bearer, prepare_referral, referral_settings, seed

from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing.database import admin
from linkwell_runtime.testing.processes import Process

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class Running:
    console: str
    reporting: str
    referral: str
    seeded: Seeded
    console_env: dict[str, str]
    processes: list[Process]  # stopped with the platform


@pytest.fixture(scope="module")
def console_without_reporting(platform: Running) -> str:
    """A second console process, on the same sessions database, whose reporting service does not answer."""
    port = free_port()
    env = {**platform.console_env, "REPORTING_URL": "http://127.0.0.1:9"}
    console = uvicorn("console.entrypoints.app:app_from_env", port, env, "console-no-reporting")
    platform.processes.append(console)
    url = f"http://127.0.0.1:{port}"
    serving(console, url)
    return url


@pytest.fixture(scope="module")
def platform(postgres_url: str, kafka_bootstrap: str) -> Iterator[Running]:
    """Module-scoped: the browser tests share one platform (two fresh databases, dropped at the end)."""
    names = [f"t_console_{uuid.uuid4().hex[:12]}" for _ in range(3)]
    for name in names:
        admin(postgres_url, f'CREATE DATABASE "{name}"')
    parts = urlsplit(postgres_url)
    referral_db, reporting_db, console_db = (
        urlunsplit((parts.scheme, parts.netloc, f"/{n}", parts.query, "")) for n in names
    )
    prepare_referral(referral_settings(referral_db))
    ports = {name: free_port() for name in ("referral", "reporting", "console")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    unused = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "REFERRAL_TOPIC": "linkwell.referral.console-browser"}
    processes = [
        uvicorn(
            "referral.entrypoints.api:app_from_env",
            ports["referral"],
            {"DATABASE_URL": referral_db, **unused},
            "referral-api",
        ),
    ]
    try:
        serving(processes[0], urls["referral"])
        headers = bearer("operator", DEVELOPMENT_JWT_SECRET)
        providers = httpx.get(f"{urls['referral']}/providers", headers=headers).json()
        workers = httpx.get(f"{urls['referral']}/link-workers", headers=headers).json()
        seeded = seed(referral_db, reporting_db, providers, workers)
        own = names[1]  # topics of this platform's own: closing a claim asks Kafka how far they go
        reporting_env = {
            "DATABASE_URL": reporting_db,
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "REFERRAL_TOPIC": f"linkwell.referral.{own}",
            "ENGAGEMENT_TOPIC": f"linkwell.engagement.{own}",
            "COMMISSIONER_TOPIC": f"linkwell.commissioner.{own}",
            "REPORTING_TOPIC": "linkwell.reporting.console-browser",
        }
        processes.append(
            uvicorn("reporting.entrypoints.api:app_from_env", ports["reporting"], reporting_env, "reporting-api")
        )
        console_env = {
            "DATABASE_URL": console_db,
            "REFERRAL_URL": urls["referral"],
            "REPORTING_URL": urls["reporting"],
            "ENGAGEMENT_URL": "http://127.0.0.1:9",
            "DIRECTORY_URL": "http://127.0.0.1:9",
            "PAGE_SIZE": "50",
        }
        processes.append(uvicorn("console.entrypoints.app:app_from_env", ports["console"], console_env, "console"))
        for name, process in zip(("reporting", "console"), processes[1:], strict=True):
            serving(process, urls[name])
        yield Running(urls["console"], urls["reporting"], urls["referral"], seeded, console_env, processes)
    finally:
        for process in processes:
            if not process.alive():
                print(f"----- {process.name} (exit {process.returncode}) -----\n{process.log_tail()}")
            process.stop()
        for name in names:
            admin(postgres_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not os.path.exists(CHROMIUM):
        # `make test` installs it (deploy/bin/chromium): a page is tested in a real browser or the
        # test fails, never passes without one
        pytest.fail("Debian's chromium is not installed: run deploy/bin/chromium install (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser, platform):
    context = browser.new_context(base_url=platform.console, accept_downloads=True)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
