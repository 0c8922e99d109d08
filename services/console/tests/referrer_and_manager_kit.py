"""The referrer's and provider manager's integration tests' fixtures (issue 19): real referral,
engagement and reporting services over FastAPI's TestClient on fresh databases, cases opened in
engagement through its own consumer code fed the referral service's outbox and case events followed by
the referral service's consumer handler fed engagement's outbox (what the relays would publish); the
console in front of them; and the helpers that post a drawn form and read what is beside a field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from casework_kit import engagement_settings, pump
from console_testkit import bearer, csrf, migrated, prepare_referral, referral_settings, reporting_settings
from fastapi.testclient import TestClient

from console.entrypoints.app import create_app
from contracts.codec import decode
from contracts.errors import ContractError
from engagement.entrypoints.api import create_app as create_engagement
from linkwell_runtime.testing import query, scalar
from referral.entrypoints.api import create_app as create_referral
from referral.service_layer.practice_summaries import apply_followed_event
from reporting.bootstrap import prepare_database as prepare_reporting
from reporting.entrypoints.api import create_app as create_reporting

DOWN = "http://127.0.0.1:9"


def patient(n: int, **changes: str | list[str]) -> dict[str, str | list[str]]:
    """The referral form as a referrer fills it in (patient `n` of a few with valid NHS numbers)."""
    numbers = ["9434765919", "9434765870", "4010232137", "9990000026", "9990000018"]
    names = [("Joan", "Robson"), ("Arthur", "Milburn"), ("Ada", "Charlton"), ("Ken", "Shearer"), ("Mary", "Ash")]
    form: dict[str, str | list[str]] = {
        "nhs_number": numbers[n],
        "given_name": names[n][0],
        "family_name": names[n][1],
        "date_of_birth": "1965-03-14",
        "sex": "female",
        "postcode": "NE4 6QA",
        "phone": "0191 496 0000",
        "referrer_name": "Dr A Khan",
        "referrer_role": "gp",
        "conditions": ["type2_diabetes"],
        "reason": "Lonely since moving",
    }
    return form | changes


@dataclass
class Platform:
    apis: dict[str, httpx.Client]
    referral_db: str
    engagement_db: str
    engagement_settings: object
    secret: str
    practice: str  # the referrer's practice
    provider: str  # the provider serving it: the manager's organisation
    workers: list[dict]  # two of its link workers: A holds cases, B is given room later
    other_practice: str  # another practice (a referrer's organisation)
    other_provider: str  # another provider (a manager's organisation)
    pumped: dict[str, int]

    def open_cases(self) -> None:
        """Referral → engagement: cases opened from the referral service's outbox."""
        pump(self.engagement_settings, self.referral_db)

    def follow_cases(self) -> None:
        """Engagement → referral: case events (milestones, reassignments) and the discharge summaries sent
        to practices, applied by the referral consumer's handler."""
        services = self.apis["referral"].app.state.services
        rows = query(
            self.engagement_db,
            "SELECT id, message FROM outbox WHERE id > %s ORDER BY id",
            (self.pumped.get("engagement", 0),),
        )
        for row_id, message in rows:
            self.pumped["engagement"] = row_id
            try:
                envelope, payload = decode(bytes(message))
            except ContractError:
                continue
            with services.pool.transaction() as cur:
                apply_followed_event(services.unit_of_work(cur, cause=envelope), envelope, payload)

    def caseloads(self) -> dict[str, int]:
        workers = self.apis["referral"].get(
            "/link-workers", params={"provider_id": self.provider}, headers=bearer("operator", self.secret)
        )
        return {w["link_worker_id"]: w["active_caseload"] for w in workers.json()}

    def worker_headers(self, worker: dict) -> dict[str, str]:
        scope = {"provider_id": self.provider, "link_worker_id": worker["link_worker_id"]}
        return bearer("link_worker", self.secret, **scope)


@pytest.fixture
def platform(database_factory, jwt_secret) -> Iterator[Platform]:
    referral_db, engagement_db, reporting_db = (
        migrated(database_factory, s) for s in ("referral", "engagement", "reporting")
    )
    prepare_referral(referral_settings(referral_db))
    prepare_reporting(reporting_db)
    engagement = engagement_settings(engagement_db)
    with (
        TestClient(create_referral(referral_settings(referral_db, jwt_secret=jwt_secret))) as referral,
        TestClient(create_engagement(engagement_settings(engagement_db, jwt_secret=jwt_secret))) as engagement_api,
        TestClient(create_reporting(reporting_settings(reporting_db, jwt_secret=jwt_secret))) as reporting,
    ):
        operator = bearer("operator", jwt_secret)
        practices = [p for p in referral.get("/practices", headers=operator).json() if p["participating"]]
        practice = practices[0]  # one the sign-in page offers a referrer of
        provider = str(practice["provider_id"])
        other_practice = practices[1]["ods_code"]  # another practice the sign-in page offers a referrer of
        other_provider = next(
            str(p["provider_id"])
            for p in referral.get("/providers", headers=operator).json()
            if str(p["provider_id"]) != provider
        )
        workers = referral.get("/link-workers", params={"provider_id": provider}, headers=operator).json()
        for n, worker in enumerate(workers):  # A has one place, everyone else none
            answer = referral.patch(
                f"/link-workers/{worker['link_worker_id']}", json={"capacity": 1 if n == 0 else 0}, headers=operator
            )
            assert answer.status_code == 200, answer.text
        yield Platform(
            {"referral": referral, "engagement": engagement_api, "reporting": reporting},
            referral_db,
            engagement_db,
            engagement,
            jwt_secret,
            practice["ods_code"],
            provider,
            workers[:2],
            other_practice,
            other_provider,
            {},
        )


@pytest.fixture
def console(platform, console_settings) -> Iterator[TestClient]:
    def factory(service: str, base_url: str) -> httpx.Client:
        return platform.apis.get(service) or httpx.Client(base_url=DOWN, timeout=2)

    with TestClient(create_app(console_settings, factory)) as client:
        yield client


def post_form(console: TestClient, page: str, action: str, form: dict, *, key: str | None = None) -> httpx.Response:
    drawn = console.get(page)
    sent = {"csrf_token": csrf(drawn), **form}
    found = re.search(r'name="idempotency_key" value="([^"]+)"', drawn.text)
    sent["idempotency_key"] = key or (found.group(1) if found else "")
    return console.post(action, data=sent, follow_redirects=False)


def received(platform: Platform) -> int:
    return scalar(platform.referral_db, "SELECT count(*) FROM events WHERE event_type = 'ReferralReceived'")


def audited(platform: Platform, subject: str) -> int:
    return scalar(platform.referral_db, "SELECT count(*) FROM access_audit WHERE subject = %s", (subject,))


def error_beside(page: str, field: str) -> str:
    """The message in the error span beside `field` (after its visually hidden "Error:")."""
    found = re.search(rf'id="{re.escape(field)}-error">(?:<span[^>]*>Error:</span>)?\s*([^<]*)', page)
    assert found, f"no error beside {field}"
    return found.group(1)
