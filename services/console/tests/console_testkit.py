"""Shared by the console's integration and browser tests: a real reporting database with paid outcomes
for two of the referral service's seeded providers, built with the reporting service's own test
builders and applied through its real consumer code."""

from __future__ import annotations

import re
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(REPO / "services/reporting/tests"), str(REPO / "services/reporting/tests/integration")]

from reporting_builders import CaseFacts  # noqa: E402
from reporting_testkit import FixedClock, case_envelopes, consume, referral_envelopes  # noqa: E402

from linkwell_runtime import migrations  # noqa: E402
from linkwell_runtime.auth import ALL_AUDIENCES, Principal, Role, mint_token  # noqa: E402
from referral.bootstrap import prepare_database as prepare_referral  # noqa: E402
from referral.config import Settings as ReferralSettings  # noqa: E402
from reporting.bootstrap import prepare_database as prepare_reporting  # noqa: E402
from reporting.config import Settings as ReportingSettings  # noqa: E402

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # the reporting service's fixed clock in these tests
CORRECTED_AT = datetime(2025, 9, 1, 12, tzinfo=UTC)
CORRECTION_BEFORE, CORRECTION_AFTER = "2025-08-31T23:00:00+00:00", "2025-09-02T00:00:00+00:00"
HOSPITAL_CSV_WITH_A_BAD_ROW = (
    "nhs_number,activity_type,activity_date,cost_pence\n"
    "9434765919,admission,2025-04-02,150000\n"
    "9434765918,ae,2025-04-03,20000\n"  # check digit wrong
    "9434765919,picnic,2025-04-04,100\n"  # not an activity type
)
HOSPITAL_CSV_ACCEPTED = (  # one row applied, one for an NHS number nobody was referred with
    "nhs_number,activity_type,activity_date,cost_pence\n"
    "9434765919,admission,2025-04-02,150000\n"
    "9434765870,ae,2025-04-03,20000\n"
)


@dataclass(frozen=True)
class Seeded:
    """What the seeded ledger holds: provider ids and the case whose review is corrected later."""

    provider_a: str
    provider_b: str
    worker_a: str
    corrected_case: CaseFacts


def migrated(database_factory, service: str) -> str:
    """A fresh database at `service`'s newest revision (a copy of one migrated once per run)."""
    return database_factory(migrated=migrations.sources(f"{service}.adapters.sql"))


def referral_settings(database_url: str, **more: str) -> ReferralSettings:
    return ReferralSettings(
        database_url=database_url, environment="test", referral_topic="linkwell.referral.console-test", **more
    )


def reporting_settings(database_url: str, **more: str) -> ReportingSettings:
    """Closing a claim asks Kafka how far reporting's topics go: pass `kafka_bootstrap_servers`
    (the real broker) and the topics come out unique to the call, so nothing published elsewhere
    makes reporting look behind."""
    own = uuid.uuid4().hex[:12]
    topics = {
        "referral_topic": f"linkwell.referral.console-test-{own}",
        "engagement_topic": f"linkwell.engagement.console-test-{own}",
        "commissioner_topic": f"linkwell.commissioner.console-test-{own}",
        "reporting_topic": "linkwell.reporting.console-test",
    }
    return ReportingSettings(**({"database_url": database_url, "environment": "test"} | topics | more))


def seed(referral_db: str, reporting_db: str, providers: list[dict], workers: list[dict]) -> Seeded:
    """Three paid W outcomes (two for provider A, one for B); A's second is corrected on CORRECTED_AT
    so that it is no longer payable after it. `providers`/`workers`: the referral service's lists."""
    prepare_reporting(reporting_db)
    settings = reporting_settings(reporting_db)
    a, b = str(providers[0]["provider_id"]), str(providers[1]["provider_id"])
    worker_a = next(str(w["link_worker_id"]) for w in workers if str(w["provider_id"]) == a)
    worker_b = next(str(w["link_worker_id"]) for w in workers if str(w["provider_id"]) == b)
    envelopes = []
    cases = []
    for n, (provider, worker, nhs) in enumerate(
        [(a, worker_a, "9434765919"), (a, worker_a, "4010232137"), (b, worker_b, "9990001111")]
    ):
        case = CaseFacts(provider_id=_uuid(provider), link_worker_id=_uuid(worker))
        case.opened(date(2025, 1, 2))
        case.star(date(2025, 1, 10 + n), 40)
        review = case.star(date(2025, 6, 10 + n), 43 + n)
        if n == 1:
            case.corrected(review, 41, CORRECTED_AT)
        envelopes += referral_envelopes(case, date(2025, 1, 2), nhs_number=nhs) + case_envelopes(case)
        cases.append(case)
    consume(settings, envelopes)
    return Seeded(a, b, worker_a, cases[1])


class MovableClock:
    """The console's clock (seconds since the epoch), moved by the test."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, *, minutes: float) -> None:
        self.now += minutes * 60


def _uuid(text: str):
    import uuid

    return uuid.UUID(text)


def bearer(role: str, secret: str, **scope: str) -> dict[str, str]:
    principal = Principal(sub=f"console-test-{role}", role=Role(role), **scope)
    return {"Authorization": f"Bearer {mint_token(principal, secret, audience=ALL_AUDIENCES)}"}


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(console: httpx.Client, user: str) -> None:
    page = console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": user, "csrf_token": csrf(page)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


__all__ = ["NOW", "FixedClock", "prepare_referral"]
