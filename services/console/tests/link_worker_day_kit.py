"""The link-worker integration tests' fixtures (issue 19): real referral, engagement and directory
services over FastAPI's TestClient on fresh databases, the console signed in as one link worker whose
provider's other workers are given no room (so every referral of its practice reaches them), and the
helpers that read a drawn form's hidden fields and a table's rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from casework_kit import days_ago, directory_settings, engagement_settings, pump, refer
from console_testkit import bearer, migrated, prepare_referral, referral_settings, sign_in
from fastapi.testclient import TestClient

from console.entrypoints.app import create_app
from directory.entrypoints.api import create_app as create_directory
from engagement.entrypoints.api import create_app as create_engagement
from referral.entrypoints.api import create_app as create_referral


@dataclass
class Day:
    apis: dict[str, httpx.Client]
    engagement_settings: object
    referral_db: str
    directory_db: str
    engagement_db: str
    worker: dict
    secret: str
    practice: str  # served by the worker's provider: its referrals go to the worker
    other_practice: str  # served by another provider: its referrals are someone else's caseload
    first_practice: str  # one the sign-in page offers a referrer of

    def refer(self, n: int, days_back: int, *, elsewhere: bool = False) -> str:
        practice = self.other_practice if elsewhere else self.practice
        created = refer(self.apis["referral"], self.secret, n, days_ago(days_back), practice=practice)
        pump(self.engagement_settings, self.referral_db, self.directory_db)
        return str(created["referral_id"])

    def case(self, case_id: str) -> dict:
        headers = bearer("link_worker", self.secret, **self.scope)
        return self.apis["engagement"].get(f"/cases/{case_id}", headers=headers).json()

    @property
    def scope(self) -> dict[str, str]:
        return {"provider_id": str(self.worker["provider_id"]), "link_worker_id": str(self.worker["link_worker_id"])}

    @property
    def user(self) -> str:
        return f"worker:{self.worker['provider_id']}:{self.worker['link_worker_id']}"


@pytest.fixture
def day(database_factory, jwt_secret) -> Iterator[Day]:
    referral_db, engagement_db, directory_db = (
        migrated(database_factory, s) for s in ("referral", "engagement", "directory")
    )
    prepare_referral(referral_settings(referral_db))
    engagement = engagement_settings(engagement_db)
    with (
        TestClient(create_referral(referral_settings(referral_db, jwt_secret=jwt_secret))) as referral,
        TestClient(create_engagement(engagement_settings(engagement_db, jwt_secret=jwt_secret))) as engagement_api,
        TestClient(create_directory(directory_settings(directory_db, jwt_secret=jwt_secret))) as directory,
    ):
        operator = bearer("operator", jwt_secret)
        worker = referral.get("/link-workers", headers=operator).json()[0]  # one the sign-in page offers
        provider = worker["provider_id"]
        practices = [p for p in referral.get("/practices", headers=operator).json() if p["participating"]]
        practice = next(p["ods_code"] for p in practices if p["provider_id"] == provider)
        other_practice = next(p["ods_code"] for p in practices if p["provider_id"] not in (provider, None))
        for other in referral.get("/link-workers", params={"provider_id": provider}, headers=operator).json():
            if other["link_worker_id"] != worker["link_worker_id"]:  # every referral of `practice` goes to `worker`
                answer = referral.patch(
                    f"/link-workers/{other['link_worker_id']}", json={"capacity": 0}, headers=operator
                )
                assert answer.status_code == 200, answer.text
        apis = {"referral": referral, "engagement": engagement_api, "directory": directory}
        yield Day(
            apis,
            engagement,
            referral_db,
            directory_db,
            engagement_db,
            worker,
            jwt_secret,
            practice,
            other_practice,
            practices[0]["ods_code"],
        )


@pytest.fixture
def day_factory(day):
    """The services as the console reaches them: referral, engagement and directory (reporting down)."""
    return lambda service, base_url: day.apis.get(service) or httpx.Client(base_url="http://127.0.0.1:9", timeout=2)


@pytest.fixture
def worker_console(day, day_factory, console_settings, clock) -> Iterator[TestClient]:
    with TestClient(create_app(console_settings, day_factory, clock=clock)) as client:
        sign_in(client, day.user)
        yield client


def form_fields(page: httpx.Response, form: str) -> dict[str, str]:
    """The hidden fields (CSRF token, Idempotency-Key) of one of the case page's forms, as drawn."""
    found = re.search(rf'<form method="post" action="[^"]+/{form}"[^>]*>(.*?)</form>', page.text, re.S)
    assert found, f"no {form} form on the page"
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found.group(1)))
    return hidden


def table_rows(page: httpx.Response, table: str) -> list[str]:
    body = re.search(rf'id="{table}".*?<tbody>(.*?)</tbody>', page.text, re.S)
    assert body, f"no table {table}"
    return re.findall(r"<tr.*?</tr>", body.group(1), re.S)
