"""What the pages share: the services, the signed-in session, CSRF checks, templates and refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from console.adapters.platform_api import PlatformApi
from console.adapters.sessions import CSRF_COOKIE, SESSION_COOKIE, Session
from console.bootstrap import ConsoleServices
from console.domain.access import Area, areas_for, may_see
from console.domain.money import pounds
from console.domain.payable import payer_name
from contracts.roles import Role

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["pounds"] = pounds
templates.env.filters["payer"] = payer_name
templates.env.globals["zip"] = zip


class NotSignedIn(Exception):
    """No session, or an expired or tampered one: the sign-in page."""


class NotForThisRole(Exception):
    def __init__(self, area: Area) -> None:
        super().__init__(area.value)
        self.area = area


class BadCsrf(Exception):
    """A form without this browser's CSRF token: refused, nothing changed."""


def services(request: Request) -> ConsoleServices:
    found: ConsoleServices = request.app.state.services
    return found


ServicesDep = Annotated[ConsoleServices, Depends(services)]


def session_or_none(request: Request, svc: ServicesDep) -> Session | None:
    return svc.cookies.session(request.cookies.get(SESSION_COOKIE))


def signed_in(request: Request, svc: ServicesDep) -> Session:
    found = session_or_none(request, svc)
    if found is None:
        raise NotSignedIn()
    return found


SessionDep = Annotated[Session, Depends(signed_in)]


def area(needed: Area) -> Any:
    """Dependency: the signed-in person's role may see `needed`, else the 403 page."""

    def check(session: SessionDep) -> Session:
        if not may_see(Role(session.role), needed):
            raise NotForThisRole(needed)
        return session

    return Depends(check)


def api(session: SessionDep, svc: ServicesDep) -> PlatformApi:
    return svc.api(session.token)


ApiDep = Annotated[PlatformApi, Depends(api)]


def csrf_checked(request: Request, svc: ServicesDep, csrf_token: Annotated[str, Form()] = "") -> None:
    if not svc.cookies.csrf_valid(request.cookies.get(CSRF_COOKIE), csrf_token):
        raise BadCsrf()


CsrfDep = Depends(csrf_checked)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with who is signed in, what they may see and this browser's CSRF token."""
    svc = services(request)
    session = svc.cookies.session(request.cookies.get(SESSION_COOKIE))
    csrf = request.cookies.get(CSRF_COOKIE) or svc.cookies.new_csrf_value()
    areas = [a.value for a in areas_for(Role(session.role))] if session else []
    response = templates.TemplateResponse(
        request, template, {"session": session, "areas": areas, "csrf_token": csrf, **context}, status_code=status_code
    )
    if request.cookies.get(CSRF_COOKIE) != csrf:
        set_cookie(response, svc, CSRF_COOKIE, csrf, max_age=None)
    return response


def set_cookie(response: Any, svc: ConsoleServices, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=svc.settings.secure_cookies, path="/"
    )
