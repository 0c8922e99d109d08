"""Shared by the console's link-worker tests (integration and browser): real referral, engagement and
directory services on fresh databases; referrals taken in over the referral API (allocated to a link
worker there) and the cases opened in engagement by its own consumer code, fed the messages the
referral and directory services wrote to their outboxes (what their relays would publish on Kafka)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from console_testkit import REPO, bearer

sys.path[:0] = [str(REPO / "services/engagement/tests/integration")]

from engagement_testkit import consume as engagement_consume  # noqa: E402

from contracts.codec import decode  # noqa: E402
from contracts.errors import ContractError  # noqa: E402
from directory.config import Settings as DirectorySettings  # noqa: E402
from engagement.bootstrap import prepare_database as prepare_engagement  # noqa: E402
from engagement.config import Settings as EngagementSettings  # noqa: E402
from linkwell_runtime.testing import query  # noqa: E402

LONDON = ZoneInfo("Europe/London")
PRACTICE = "A85001"  # a participating practice the seeded reference data serves (Changing Lives)
NHS_NUMBERS = ["9434765919", "9434765870", "4010232137", "9990000026", "9990000018"]
PATIENTS = [("Joan", "Robson"), ("Arthur", "Milburn"), ("Ada", "Charlton"), ("Ken", "Shearer"), ("Mary", "Ashington")]


def london_today() -> date:
    return datetime.now(LONDON).date()


def engagement_settings(database_url: str, **more: str) -> EngagementSettings:
    prepare_engagement(database_url)
    return EngagementSettings(
        database_url=database_url, environment="test", engagement_topic="linkwell.engagement.console-test", **more
    )


def directory_settings(database_url: str, **more: str) -> DirectorySettings:
    return DirectorySettings(
        database_url=database_url,
        environment="test",
        directory_topic="linkwell.directory.console-test",
        seed_demo_data=True,
        **more,
    )


def refer(referral: httpx.Client, secret: str, n: int, referred_on: date, practice: str = PRACTICE) -> dict:
    """A referral of patient `n` by a GP of `practice`, allocated at intake (dated its referral date)."""
    given, family = PATIENTS[n]
    body = {
        "nhs_number": NHS_NUMBERS[n],
        "given_name": given,
        "family_name": family,
        "date_of_birth": "1965-03-14",
        "sex": "female",
        "postcode": "NE4 6QA",
        "phone": "0191 496 0000",
        "email": "patient@example.org",
        "practice_ods_code": practice,
        "referrer": {"name": "Dr A Khan", "role": "gp"},
        "conditions": ["type2_diabetes"],
        "mental_health": [],
        "reason": "Lonely since moving",
        "referred_on": referred_on.isoformat(),
    }
    answer = referral.post("/referrals", json=body, headers=bearer("referrer", secret, practice=practice))
    assert answer.status_code == 201, answer.text
    created = answer.json()
    # its practice is answered `accepted` with no link worker (docs/security.md §3.1): an operator reads who
    seen = referral.get(f"/referrals/{created['referral_id']}", headers=bearer("operator", secret)).json()
    assert seen["link_worker_id"], seen
    return created | {name: seen[name] for name in ("status", "provider_id", "link_worker_id")}


_PUMPED: dict[str, int] = {}  # database → the last outbox row applied


def pump(engagement: EngagementSettings, *outbox_databases: str) -> None:
    """What the relays would publish since the last pump, applied through engagement's consumer code."""
    envelopes = []
    for database in outbox_databases:
        rows = query(database, "SELECT id, message FROM outbox WHERE id > %s ORDER BY id", (_PUMPED.get(database, 0),))
        for row_id, message in rows:
            _PUMPED[database] = row_id
            try:
                envelope, payload = decode(bytes(message))
            except ContractError:
                continue
            if payload is not None:
                envelopes.append(envelope)
    engagement_consume(engagement, envelopes, clock=lambda: datetime.now(UTC))


def days_ago(n: int) -> date:
    return london_today() - timedelta(days=n)
