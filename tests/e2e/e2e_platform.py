"""Shared by the end-to-end tests: fresh databases and unique topics, the services as real processes
(uvicorn APIs, outbox relays, faust consumers), HTTP clients and development tokens."""

from __future__ import annotations

import socket
import uuid
from datetime import date

import httpx

from linkwell_runtime.auth import ALL_AUDIENCES, Principal, Role, mint_token
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET
from linkwell_runtime.testing import wait_until
from linkwell_runtime.testing.processes import Process

SERVICES = ("referral", "engagement", "reporting")


def token(role: Role, **scope) -> dict[str, str]:
    principal = Principal(sub=f"e2e-{role}", role=role, **scope)
    return {"Authorization": f"Bearer {mint_token(principal, DEVELOPMENT_JWT_SECRET, audience=ALL_AUDIENCES)}"}


def referral_body(referred_on: date, **overrides) -> dict:
    """A `POST /referrals` body: one patient (Joan Robson of practice A85001) referred on `referred_on`
    with COPD by her GP; `overrides` replace or add fields."""
    return {
        "nhs_number": "943 476 5919",
        "given_name": "Joan",
        "family_name": "Robson",
        "date_of_birth": "1965-03-14",
        "sex": "female",
        "postcode": "NE4 6QA",
        "phone": "0191 496 0000",
        "practice_ods_code": "A85001",
        "referrer": {"name": "Dr A Khan", "role": "gp"},
        "conditions": ["copd"],
        "referred_on": referred_on.isoformat(),
    } | overrides


def with_allocation(referral_api: httpx.Client, created: dict) -> dict:
    """A referral's `POST /referrals` answer with its status and allocation as an operator sees them: the
    practice is answered `accepted` with no provider or link worker (docs/security.md §3.1), and a test
    that then acts for the case needs who holds it."""
    seen = referral_api.get(f"/referrals/{created['referral_id']}", headers=token(Role.OPERATOR)).json()
    return created | {name: seen[name] for name in ("status", "provider_id", "link_worker_id")}


def get_ok(client: httpx.Client, path: str, **kw):
    """The answer when it is a 200, else None (not up yet, not there yet)."""
    try:
        answer = client.get(path, **kw)
    except httpx.TransportError:
        return None
    return answer if answer.status_code == 200 else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Platform:
    """`start("referral-api", "engagement-consumer", ...)`, then `http[service]`; `close()` stops all."""

    def __init__(self, databases: dict[str, str], kafka_bootstrap: str, topic_factory) -> None:
        from engagement.bootstrap import prepare_database as prepare_engagement
        from referral.bootstrap import prepare_database as prepare_referral
        from referral.config import Settings as ReferralSettings
        from reporting.bootstrap import prepare_database as prepare_reporting

        self.databases = databases
        self.topics = {
            f"{t.upper()}_TOPIC": topic_factory(f"e2e.{t}")
            for t in (
                "referral",
                "engagement",
                "directory",
                "commissioner",
                "reporting",
                "practice",
                "patient_pseudonyms",
            )
        }
        self.common = {
            "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
            "ENVIRONMENT": "test",
            "JWT_SECRET": DEVELOPMENT_JWT_SECRET,
            "CONSUMER_BATCH_SECONDS": "0.1",
            **self.topics,
        }
        # schema first, so processes starting together never race on CREATE TABLE
        prepare_referral(
            ReferralSettings(
                database_url=databases["referral"],
                environment="test",
                referral_topic=self.topics["REFERRAL_TOPIC"],
                patient_pseudonyms_topic=self.topics["PATIENT_PSEUDONYMS_TOPIC"],
            ),
            seed=False,
        )
        prepare_engagement(databases["engagement"])
        prepare_reporting(databases["reporting"])
        self.ports = {svc: _free_port() for svc in SERVICES}
        self.tag = uuid.uuid4().hex[:8]
        self.processes: list[Process] = []
        self.http: dict[str, httpx.Client] = {}

    def start(self, *names: str) -> None:
        for name in names:
            svc, kind = name.split("-")
            env = self.common | {"DATABASE_URL": self.databases[svc]}
            if kind == "api":
                args = [
                    "-m",
                    "uvicorn",
                    "--factory",
                    f"{svc}.entrypoints.api:app_from_env",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.ports[svc]),
                    "--log-level",
                    "warning",
                ]
                self.http[svc] = httpx.Client(base_url=f"http://127.0.0.1:{self.ports[svc]}", timeout=10)
            elif kind == "relay":
                args = ["-m", "linkwell_runtime.relay"]
            else:
                args, env = ["-m", f"{svc}.entrypoints.consumer"], env | {"CONSUMER_NAME": f"e2e-{svc}-{self.tag}"}
            self.processes.append(Process(args, env, name).start())
        for client in self.http.values():
            wait_until(lambda c=client: get_ok(c, "/health"), timeout=30, what=f"{client.base_url} to answer")

    def logs(self) -> str:
        return "\n".join(f"----- {p.name} (exit {p.returncode}) -----\n{p.log_tail()}" for p in self.processes)

    def close(self) -> None:
        for client in self.http.values():
            client.close()
        for process in self.processes:
            process.stop()
