"""Home, development sign-in and sign-out."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.adapters.oidc import PENDING_COOKIE, PENDING_SECONDS, SignInFailed
from console.adapters.sessions import SESSION_COOKIE, Session
from console.domain.access import Area, may_see
from console.entrypoints.pages import casework
from console.entrypoints.web import CsrfDep, ServicesDep, SessionDep, render, set_cookie
from console.service_layer.people import (
    NotAPlatformUser,
    api_token,
    demo_users,
    from_identity,
    operator_token,
    sign_in,
)
from contracts.roles import Role

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse, summary="Home")
def home(request: Request, session: SessionDep, svc: ServicesDep) -> Response:
    """What this person may do; a link worker's home is what needs them today."""
    if may_see(Role(session.role), Area.CASEWORK):
        return casework.today_page(request, svc.api(api_token(svc.settings, session)))
    return render(request, "home.html")


@router.get("/sign-in", response_class=HTMLResponse, summary="Development sign-in")
def sign_in_page(request: Request, svc: ServicesDep) -> Response:
    """Sign in with the organisation's identity provider (when configured) and, in development and
    test only, as one of the demo's people."""
    if not svc.settings.development_sign_in:
        return render(request, "sign_in.html", users=[], complete=True, oidc=svc.oidc is not None)
    users, complete = demo_users(svc.api(operator_token(svc.settings)))
    return render(request, "sign_in.html", users=users, complete=complete, oidc=svc.oidc is not None)


@router.post("/sign-in", summary="Sign in as a demo user", dependencies=[CsrfDep])
def sign_in_as(request: Request, svc: ServicesDep, user: Annotated[str, Form()] = "") -> Response:
    if not svc.settings.development_sign_in:
        return render(request, "error.html", 404, title="Sign-in", message="Development sign-in is off here.")
    users, _ = demo_users(svc.api(operator_token(svc.settings)))
    chosen = next((u for u in users if u.key == user), None)
    if chosen is None:
        return render(request, "sign_in.html", 422, users=users, complete=True, error="Choose who to sign in as.")
    return _signed_in(svc, sign_in(svc.settings, chosen))


@router.get("/auth/login", summary="Sign in with the organisation's identity provider")
def oidc_login(request: Request, svc: ServicesDep) -> Response:
    if svc.oidc is None:
        return render(request, "error.html", 404, title="Sign-in", message="Single sign-on is not configured here.")
    try:
        url, pending = svc.oidc.start()
    except SignInFailed as failed:
        return render(
            request, "error.html", 503, title="Sorry, sign-in is unavailable", message=f"{failed}. Try again."
        )
    response = RedirectResponse(url, status_code=303)
    set_cookie(response, svc, PENDING_COOKIE, pending, max_age=PENDING_SECONDS)
    return response


@router.get("/auth/callback", summary="Where the identity provider sends the browser back")
def oidc_callback(request: Request, svc: ServicesDep, state: str = "", code: str = "", error: str = "") -> Response:
    if svc.oidc is None:
        return render(request, "error.html", 404, title="Sign-in", message="Single sign-on is not configured here.")
    try:
        if error:
            raise SignInFailed(f"the identity provider said: {error[:100]}")
        claims = svc.oidc.finish(request.cookies.get(PENDING_COOKIE), state, code)
        session = from_identity(svc.settings, claims)
    except (SignInFailed, NotAPlatformUser) as failed:
        return render(request, "error.html", 403, title="You could not be signed in", message=f"{failed}.")
    response = _signed_in(svc, session)
    response.delete_cookie(PENDING_COOKIE, path="/")
    return response


def _signed_in(svc: ServicesDep, session: Session) -> RedirectResponse:
    """A new server-side session (a fresh id at every sign-in: none can be fixed in advance) in the cookie."""
    started = replace(session, session_id=svc.sessions.start())
    response = RedirectResponse("/", status_code=303)
    value = svc.cookies.session_value(started)
    set_cookie(response, svc, SESSION_COOKIE, value, max_age=svc.settings.session_minutes * 60)
    return response


@router.post("/sign-out", summary="Sign out", dependencies=[CsrfDep])
def sign_out(request: Request, svc: ServicesDep) -> Response:
    """Ends the session server-side, so the cookie (and any copy of it) no longer signs anyone in."""
    signed = svc.cookies.session(request.cookies.get(SESSION_COOKIE))
    if signed is not None:
        svc.sessions.end(signed.session_id)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=svc.settings.secure_cookies)
    return response
