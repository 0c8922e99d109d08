"""Development sign-in, the session cookie, CSRF on every form, sign-out, expiry and the 403 page."""

from __future__ import annotations

import time

from console_testkit import csrf, sign_in

from console.adapters.sessions import SESSION_COOKIE


def test_the_sign_in_page_lists_the_demo_users_of_each_role(console):
    page = console.get("/sign-in")
    assert page.status_code == 200
    for role in ("finance", "operator", "provider manager", "link worker", "referrer"):
        assert f"({role})" in page.text
    assert "Some users are missing" not in page.text


def test_signing_in_sets_a_signed_http_only_lax_session_cookie(console):
    page = console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": "finance", "csrf_token": csrf(page)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # test: plain http
    assert "Finance team" in console.get("/").text


def test_a_form_without_the_csrf_token_is_refused_and_signs_nobody_in(console):
    console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": "finance", "csrf_token": "forged"}, follow_redirects=False)
    assert answer.status_code == 403 and "could not be accepted" in answer.text
    assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_tampered_session_cookie_is_no_session(console):
    sign_in(console, "finance")
    value = console.cookies[SESSION_COOKIE]
    console.cookies.set(SESSION_COOKIE, value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1])
    assert console.get("/payable", follow_redirects=False).headers["location"] == "/sign-in"


def test_signing_out_ends_the_session(console):
    sign_in(console, "finance")
    home = console.get("/")
    answer = console.post("/sign-out", data={"csrf_token": csrf(home)}, follow_redirects=False)
    assert answer.status_code == 303
    assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_session_expires(apis):
    import httpx
    from fastapi.testclient import TestClient

    from console.config import Settings
    from console.entrypoints.app import create_app

    now = [time.time()]
    settings = Settings(environment="test", session_minutes=1)
    factory = lambda s, _: apis.get(s) or httpx.Client(base_url="http://127.0.0.1:9")  # noqa: E731
    with TestClient(create_app(settings, factory, clock=lambda: now[0])) as c:
        sign_in(c, "finance")
        assert c.get("/", follow_redirects=False).status_code == 200
        now[0] += 61.5
        assert c.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_link_worker_gets_a_home_page_without_finance_data_and_403_on_finance_pages(console, seeded):
    page = console.get("/sign-in")
    worker_key = next(k for k in _radio_values(page.text) if k.startswith("worker:"))
    console.post("/sign-in", data={"user": worker_key, "csrf_token": csrf(page)})
    home = console.get("/")
    assert "Your pages are coming" in home.text and "£" not in home.text and 'href="/payable"' not in home.text
    for path in ("/payable", "/claims", "/uploads", "/changes"):
        refused = console.get(path)
        assert refused.status_code == 403 and "Your role may not see this page" in refused.text


def test_an_operator_may_upload_but_not_see_the_ledger(console):
    sign_in(console, "operator")
    assert console.get("/uploads").status_code == 200
    assert console.get("/payable").status_code == 403


def _radio_values(html: str) -> list[str]:
    import re

    return re.findall(r'name="user" type="radio" value="([^"]+)"', html)


def test_a_token_the_apis_no_longer_accept_signs_the_person_out(apis):
    import httpx
    from fastapi.testclient import TestClient

    from console.config import Settings
    from console.entrypoints.app import create_app

    other = Settings(environment="test", jwt_secret="another-secret-the-services-do-not-know-0123456789")
    with TestClient(create_app(other, lambda s, _: apis.get(s) or httpx.Client(base_url="http://127.0.0.1:9"))) as c:
        sign_in(c, "finance")
        answer = c.get("/payable", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
        assert c.get("/", follow_redirects=False).headers["location"] == "/sign-in"
