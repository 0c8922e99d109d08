"""Bad input cannot exhaust the API or come back in its refusals (docs/security.md): bodies over the
route's limit are refused with 413 before they are read and before any token is checked, chunked or
not; 401 and 422 answers never quote what was sent (an NHS number, a name, a token's claims)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from referral_testkit import count, referral_body

from linkwell_runtime.input_guards import DEFAULT_MAX_BODY_BYTES

PROBLEM = "application/problem+json"


def test_an_oversized_body_without_a_token_is_refused_before_it_is_read(client):
    big = b'{"nhs_number": "' + b"9" * (DEFAULT_MAX_BODY_BYTES + 1) + b'"}'
    answer = client.post("/referrals", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert answer.json()["type"] == "urn:linkwell:problem:too-large"
    assert "9999" not in answer.text
    assert count(client, "referrals") == 0


def test_a_chunked_body_without_a_length_is_counted_and_refused_once_past_the_limit(client, token):
    chunk = b" " * 65536

    def body():
        yield b'{"given_name": "'
        for _ in range(DEFAULT_MAX_BODY_BYTES // len(chunk) + 2):
            yield chunk
        yield b'"}'

    for headers in ({}, token()):
        answer = client.post("/referrals", content=body(), headers=headers | {"Content-Type": "application/json"})
        assert answer.status_code == 413, answer.text
        assert answer.json()["type"] == "urn:linkwell:problem:too-large"
    assert count(client, "referrals") == 0


def test_a_body_within_the_limit_goes_on_to_authentication(client):
    answer = client.post("/referrals", json=referral_body())
    assert answer.status_code == 401


def test_a_malformed_referral_is_refused_field_by_field_without_its_values(client, token):
    secret_name = "Zebedee" * 20  # over 100 characters
    body = referral_body(
        nhs_number="9434765918", given_name=secret_name, postcode="NOT A POSTCODE", referred_on="2099-01-01"
    )
    answer = client.post("/referrals", json=body, headers=token())
    assert answer.status_code == 422
    fields = {tuple(e["loc"]) for e in answer.json()["errors"]}
    assert {("body", "nhs_number"), ("body", "given_name")} <= fields
    for sent in ("9434765918", "943 476 5918", "Zebedee", "NOT A POSTCODE", "2099-01-01"):
        assert sent not in answer.text, sent
    assert all(set(e) == {"loc", "msg", "type"} for e in answer.json()["errors"])  # no `input`, no `ctx`


def test_pydantic_refusals_carry_no_input_or_context(client, token):
    answer = client.post(
        "/referrals", json=referral_body(sex="Joan Robson 9434765919", conditions="Joan"), headers=token()
    )
    assert answer.status_code == 422
    assert "Joan" not in answer.text and "9434765919" not in answer.text
    assert all("input" not in e and "ctx" not in e for e in answer.json()["errors"])


def test_an_unknown_practice_is_refused_without_quoting_what_was_sent(client, token):
    answer = client.post("/referrals", json=referral_body(practice_ods_code="Joan Robson"), headers=token())
    assert answer.status_code in (403, 422)
    assert "Joan Robson" not in answer.text and "JOAN ROBSON" not in answer.text
    assert client.patch("/practices/Joan-Robson", json={"name": "x"}, headers=token("operator")).text.count("Joan") == 0


def test_a_token_with_bad_claims_is_refused_without_quoting_them(client, settings):
    claims = {
        "sub": "dr-khan",
        "role": "referrer-of-Joan-Robson-9434765919",
        "iss": settings.jwt_issuer,
        "aud": "urn:linkwell:referral",
        "iat": datetime.now(UTC),
        "exp": datetime.now(UTC) + timedelta(hours=1),
    }
    bad = jwt.encode(claims, settings.jwt_secret, algorithm="HS256")
    answer = client.get("/referrals", headers={"Authorization": f"Bearer {bad}"})
    assert answer.status_code == 401
    assert "Joan" not in answer.text and "9434765919" not in answer.text
    forged = jwt.encode(claims | {"role": "operator"}, "another-secret-of-at-least-32-bytes!!", algorithm="HS256")
    answer = client.get("/referrals", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401 and "operator" not in answer.text
