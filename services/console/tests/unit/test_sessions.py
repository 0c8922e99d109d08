"""The session and CSRF cookies: signed, refused when tampered with or expired."""

from __future__ import annotations

from console.adapters.sessions import Cookies, Session

SECRET = "a-test-secret-that-is-long-enough-0123456789"


def test_a_session_round_trips_and_a_tampered_one_is_none():
    cookies = Cookies(SECRET, 60)
    claims = {"sub": "console-finance", "role": "finance"}
    session = Session(
        name="Finance team", role="finance", claims=claims, session_id="0198f0c2-0000-7000-8000-0000000001"
    )
    value = cookies.session_value(session)
    assert cookies.session(value) == session
    assert cookies.session(value + "x") is None and cookies.session(None) is None
    assert Cookies("another-secret-that-is-long-enough-0123456789", 60).session(value) is None


def test_a_session_expires_after_its_age():
    now = [1_800_000_000.0]
    cookies = Cookies(SECRET, 60, clock=lambda: now[0])
    value = cookies.session_value(Session(name="n", role="finance", claims={}, session_id="s"))
    now[0] += 60
    assert cookies.session(value) is not None  # still within its age
    now[0] += 1.5
    assert cookies.session(value) is None


def test_a_cookie_without_a_server_side_session_is_no_session():
    cookies = Cookies(SECRET, 60)
    assert cookies.session(cookies.session_value(Session(name="n", role="finance", claims={}))) is None
    older_shape = cookies._session.dumps({"token": "a JWT", "name": "n", "role": "finance"})  # before sessions
    assert cookies.session(older_shape) is None


def test_csrf_needs_the_same_signed_value_in_cookie_and_form():
    cookies = Cookies(SECRET, 60)
    token = cookies.new_csrf_value()
    assert cookies.csrf_valid(token, token)
    assert not cookies.csrf_valid(token, cookies.new_csrf_value())
    assert not cookies.csrf_valid("forged", "forged") and not cookies.csrf_valid(None, token)
