"""OpenID Connect sign-in against a small local identity provider (a real HTTP server): the code flow
with PKCE, the ID token checked (signature, audience, nonce), the role and scope from its claims."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from oidc_provider import CLIENT_ID, CLIENT_SECRET, TestIdentityProvider

from console.config import Settings
from console.entrypoints.app import create_app

CALLBACK = "http://testserver/auth/callback"
PRODUCTION_JWT_SECRET = "a-production-jwt-secret-for-this-test-0123456789"


@pytest.fixture
def jwt_secret() -> str:
    return PRODUCTION_JWT_SECRET


@pytest.fixture
def idp() -> Iterator[TestIdentityProvider]:
    with TestIdentityProvider() as provider:
        yield provider


@pytest.fixture
def console(apis, idp, console_db) -> Iterator[TestClient]:
    settings = Settings(
        database_url=console_db,
        environment="production",
        jwt_secret=PRODUCTION_JWT_SECRET,
        session_secret="a-production-session-secret-for-this-test-0123456789",
        oidc_issuer=idp.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_redirect_url=CALLBACK,
    )

    def factory(service: str, base_url: str) -> httpx.Client:
        return apis.get(service) or httpx.Client(base_url=base_url, timeout=5)

    with TestClient(create_app(settings, factory), base_url="https://testserver") as client:
        yield client


def _sign_in(console: TestClient) -> httpx.Response:
    """The browser's round trip: the console → the identity provider → the console's callback."""
    start = console.get("/auth/login", follow_redirects=False)
    assert start.status_code == 303 and start.headers["location"].startswith(console.app.state.settings.oidc_issuer)
    back = httpx.get(start.headers["location"], follow_redirects=False)
    assert back.status_code == 302 and back.headers["location"].startswith(CALLBACK)
    callback = urlsplit(back.headers["location"])
    return console.get(f"{callback.path}?{callback.query}", follow_redirects=False)


def test_a_finance_person_signs_in_with_the_organisations_account(console, idp):
    idp.person = {"sub": "u-123", "name": "Priya Finance", "linkwell_role": "finance"}
    page = console.get("/sign-in")
    assert 'id="oidc-sign-in"' in page.text and "Development sign-in" not in page.text  # production
    answer = _sign_in(console)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith("linkwell_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = console.get("/")
    assert "Signed in as Priya Finance (finance)" in home.text and 'href="/payable"' in home.text
    assert console.get("/payable", params={"as_of": "2025-12-31"}).status_code == 200  # its token works on the API


def test_a_provider_manager_gets_their_provider_from_the_claims(console, idp, seeded):
    idp.person = {
        "sub": "u-9",
        "name": "Manager",
        "linkwell_role": "provider_manager",
        "linkwell_provider_id": seeded.provider_b,
    }
    _sign_in(console)
    assert console.get("/claims").status_code == 403
    page = console.get("/payable", params={"as_of": "2025-12-31"}).text
    assert 'id="total-amount">£200.00<' in page and "</strong> in 1 lines" in page


@pytest.mark.parametrize("tamper", ["nonce", "audience", "signature"])
def test_an_id_token_that_does_not_check_out_signs_nobody_in(console, idp, tamper):
    idp.person, idp.tamper = {"sub": "u-1", "linkwell_role": "finance"}, tamper
    answer = _sign_in(console)
    assert answer.status_code == 403 and "You could not be signed in" in answer.text
    assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_an_answer_for_another_browsers_sign_in_is_refused(console, idp):
    idp.person = {"sub": "u-1", "linkwell_role": "finance"}
    start = console.get("/auth/login", follow_redirects=False)
    back = urlsplit(httpx.get(start.headers["location"], follow_redirects=False).headers["location"])
    console.cookies.delete("linkwell_oidc")
    answer = console.get(f"{back.path}?{back.query}")
    assert answer.status_code == 403 and "start again" in answer.text


def test_an_account_without_a_linkwell_role_is_not_signed_in(console, idp):
    idp.person = {"sub": "u-2", "name": "Someone"}
    answer = _sign_in(console)
    assert answer.status_code == 403 and "no Linkwell role" in answer.text


def test_the_development_sign_in_is_off_in_production(console):
    page = console.get("/sign-in")
    assert 'name="user"' not in page.text
    answer = console.post("/sign-in", data={"user": "finance", "csrf_token": "x"})
    assert answer.status_code in (403, 404) and console.cookies.get("linkwell_session") is None
