"""The platform fails closed (docs/security.md §8): a process not told its ENVIRONMENT does not start
and says which variable is missing, and outside development and test the development secrets are
refused, each naming its variable. Real processes, as `make up` and compose start them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from linkwell_runtime.key_wrapping import new_kek_entry

API = ["-m", "uvicorn", "--factory", "--host", "127.0.0.1", "--port", "0"]
PROCESSES = {
    "referral-api": [*API, "referral.entrypoints.api:app_from_env"],
    "engagement-api": [*API, "engagement.entrypoints.api:app_from_env"],
    "directory-api": [*API, "directory.entrypoints.api:app_from_env"],
    "reporting-api": [*API, "reporting.entrypoints.api:app_from_env"],
    "relay": ["-m", "linkwell_runtime.relay"],
    "reporting-consumer": ["-m", "reporting.entrypoints.consumer"],
    "linkwell keys": ["-m", "linkwell_runtime.cli", "keys", "status", "referral"],
}
REAL = {
    "JWT_SECRET": "a-real-jwt-secret-for-this-test-0123456789",
    "PSEUDONYM_SECRET": "a-real-pseudonym-secret-for-this-test-0123",
    "PATIENT_KEK": new_kek_entry("k1"),
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """The process with the test's environment minus the platform's settings, plus `env`; it must end
    by itself (it refuses before it connects to anything)."""
    base = {k: v for k, v in os.environ.items() if k not in ("ENVIRONMENT", *REAL, "PATIENT_KEK_FILE")}
    base |= {"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none", "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9"}
    return subprocess.run([sys.executable, *args], env=base | env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", PROCESSES)
def test_a_process_without_environment_refuses_to_start_naming_the_variable(name):
    done = run(PROCESSES[name])
    assert done.returncode != 0
    assert "ENVIRONMENT is not set" in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize(
    ("missing", "named"),
    [("JWT_SECRET", "JWT_SECRET"), ("PSEUDONYM_SECRET", "PSEUDONYM_SECRET"), ("PATIENT_KEK", "PATIENT_KEK_FILE")],
)
def test_in_production_each_development_secret_is_refused_naming_its_variable(missing, named):
    given = {k: v for k, v in REAL.items() if k != missing}
    done = run(PROCESSES["referral-api"], ENVIRONMENT="production", **given)
    assert done.returncode != 0
    assert f"{named}" in done.stderr and "outside development and test" in done.stderr, done.stderr[-2000:]


def test_the_token_cli_refuses_a_subject_that_names_no_person_in_production():
    refused = run(["-m", "linkwell_runtime.tokens", "--role", "finance"], ENVIRONMENT="production", **REAL)
    assert refused.returncode == 2 and "sub must be <identity provider>" in refused.stderr
    minted = run(
        ["-m", "linkwell_runtime.tokens", "--role", "finance", "--sub", "oidc:8f14e45f", "--audience", "reporting"],
        ENVIRONMENT="production",
        **REAL,
    )
    assert minted.returncode == 0 and minted.stdout.count(".") == 2
