"""Development sign-in, the session cookie, CSRF on every form, sign-out, expiry and the 403 page."""

from __future__ import annotations

import json
from dataclasses import asdict

from console_testkit import csrf, sign_in
from fastapi.testclient import TestClient

from console.adapters.sessions import SESSION_COOKIE
from console.entrypoints.app import create_app


def test_the_sign_in_page_lists_the_demo_users_of_each_role(console):
    page = console.get("/sign-in")
    assert page.status_code == 200
    for role in ("finance", "operator", "auditor", "provider manager", "link worker", "referrer"):
        assert f"({role})" in page.text
    assert "Some users are missing" not in page.text


def test_signing_in_sets_a_signed_http_only_lax_session_cookie(console):
    page = console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": "finance", "csrf_token": csrf(page)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = next(h for h in answer.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # test: plain http
    assert "Finance team" in console.get("/").text


def test_the_session_cookie_holds_no_api_token(console, seeded):
    sign_in(console, "finance")
    assert console.get("/payable", params={"as_of": "2025-12-31"}).status_code == 200  # the APIs were called
    session = console.app.state.services.cookies.session(console.cookies[SESSION_COOKIE])
    assert session is not None and session.session_id
    assert "eyJ" not in json.dumps(asdict(session))  # no JWT (a base64url JSON header) in what the browser holds


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


def test_a_session_cookie_copied_before_sign_out_is_refused_after_it(console, factory, console_settings, clock):
    sign_in(console, "finance")
    copied = console.cookies[SESSION_COOKIE]
    # the copy works in another console process on the same database (a second process, or after a restart)
    with TestClient(create_app(console_settings, factory, clock=clock)) as elsewhere:
        elsewhere.cookies.set(SESSION_COOKIE, copied)
        assert elsewhere.get("/payable", follow_redirects=False).status_code == 200
        console.post("/sign-out", data={"csrf_token": csrf(console.get("/"))}, follow_redirects=False)
        for client in (elsewhere, console):
            client.cookies.set(SESSION_COOKIE, copied)
            refused = client.get("/payable", follow_redirects=False)
            assert refused.status_code == 303 and refused.headers["location"] == "/sign-in"
    with TestClient(create_app(console_settings, factory, clock=clock)) as restarted:
        restarted.cookies.set(SESSION_COOKIE, copied)
        assert restarted.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def _console_of(factory, settings, clock, **changes):
    return TestClient(create_app(settings.model_copy(update=changes), factory, clock=clock))


def test_a_session_left_idle_expires(factory, console_settings, clock):
    assert console_settings.session_idle_minutes == 30  # the default
    with _console_of(factory, console_settings, clock, session_minutes=480) as console:
        sign_in(console, "finance")
        clock.advance(minutes=29)
        assert console.get("/", follow_redirects=False).status_code == 200
        clock.advance(minutes=30.5)  # 30.5 minutes since that last request
        assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_session_in_use_does_not_go_idle(factory, console_settings, clock):
    with _console_of(factory, console_settings, clock, session_minutes=480) as console:
        sign_in(console, "finance")
        for _ in range(5):  # a request every 25 minutes, for more than four idle periods
            clock.advance(minutes=25)
            assert console.get("/", follow_redirects=False).status_code == 200
        clock.advance(minutes=31)
        assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_session_expires_after_session_minutes_even_in_use(console, clock):
    sign_in(console, "finance")  # session_minutes=5 in these tests
    clock.advance(minutes=4)
    assert console.get("/", follow_redirects=False).status_code == 200
    clock.advance(minutes=1.5)
    assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_a_link_worker_gets_no_finance_data_and_403_on_finance_pages(console, seeded):
    page = console.get("/sign-in")
    worker_key = next(k for k in _radio_values(page.text) if k.startswith("worker:"))
    console.post("/sign-in", data={"user": worker_key, "csrf_token": csrf(page)})
    home = console.get("/")  # their home is today's list (test_link_worker_day.py); engagement is down here
    assert home.status_code == 503 and "engagement service is not answering" in home.text
    assert "£" not in home.text and 'href="/payable"' not in home.text and 'href="/today"' in home.text
    for path in ("/payable", "/claims", "/uploads", "/changes"):
        refused = console.get(path)
        assert refused.status_code == 403 and "Your role may not see this page" in refused.text


def test_an_operator_sees_neither_commissioner_data_nor_the_ledger(console):
    sign_in(console, "operator")
    assert console.get("/uploads").status_code == 403
    assert console.get("/payable").status_code == 403
    assert 'href="/uploads"' not in console.get("/").text


def _radio_values(html: str) -> list[str]:
    import re

    return re.findall(r'name="user" type="radio" value="([^"]+)"', html)


def test_a_token_the_apis_no_longer_accept_signs_the_person_out(factory, console_settings):
    other = console_settings.model_copy(update={"jwt_secret": "another-secret-the-services-do-not-know-0123456789"})
    with TestClient(create_app(other, factory)) as c:
        sign_in(c, "finance")
        copied = c.cookies[SESSION_COOKIE]
        answer = c.get("/payable", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
        assert c.get("/", follow_redirects=False).headers["location"] == "/sign-in"
        c.cookies.set(SESSION_COOKIE, copied)  # and the session is over, not only the cookie gone
        assert c.get("/", follow_redirects=False).headers["location"] == "/sign-in"
