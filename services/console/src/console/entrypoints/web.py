"""What the pages share: the services, the signed-in session, CSRF checks, templates and refusals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from console.adapters.platform_api import ApiUnavailable, PlatformApi
from console.adapters.sessions import CSRF_COOKIE, SESSION_COOKIE, Session
from console.bootstrap import ConsoleServices
from console.domain.access import Area, areas_for, may_see
from console.domain.money import pounds
from console.domain.payable import payer_name
from console.service_layer import inputs
from console.service_layer.people import api_token
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


_UNCHECKED = object()


def current_session(request: Request) -> Session | None:
    """The cookie's session when its signature holds and the session store says it is still signed
    in (not signed out, not idle, not over); asked once per request (which moves its idle deadline)."""
    checked = getattr(request.state, "console_session", _UNCHECKED)
    if checked is _UNCHECKED:
        svc = services(request)
        checked = svc.cookies.session(request.cookies.get(SESSION_COOKIE))
        if checked is not None and not svc.sessions.still_signed_in(checked.session_id):
            checked = None
        request.state.console_session = checked
    return checked if isinstance(checked, Session) else None


def signed_in(request: Request) -> Session:
    found = current_session(request)
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
    return svc.api(api_token(svc.settings, session))


ApiDep = Annotated[PlatformApi, Depends(api)]


def csrf_checked(request: Request, svc: ServicesDep, csrf_token: Annotated[str, Form()] = "") -> None:
    if not svc.cookies.csrf_valid(request.cookies.get(CSRF_COOKIE), csrf_token):
        raise BadCsrf()


CsrfDep = Depends(csrf_checked)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with who is signed in, what they may see and this browser's CSRF token."""
    svc = services(request)
    session = _session_for_the_header(request)
    csrf = request.cookies.get(CSRF_COOKIE) or svc.cookies.new_csrf_value()
    areas = [a.value for a in areas_for(Role(session.role))] if session else []
    response = templates.TemplateResponse(
        request, template, {"session": session, "areas": areas, "csrf_token": csrf, **context}, status_code=status_code
    )
    if request.cookies.get(CSRF_COOKIE) != csrf:
        set_cookie(response, svc, CSRF_COOKIE, csrf, max_age=None)
    return response


def _session_for_the_header(request: Request) -> Session | None:
    """Who is signed in, for the page's header; none when the session store does not answer (the
    page being drawn may be the one that says so)."""
    try:
        return current_session(request)
    except ApiUnavailable:
        return None


def set_cookie(response: Any, svc: ConsoleServices, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=svc.settings.secure_cookies, path="/"
    )


@dataclass(frozen=True)
class FormPage:
    """A page whose form is its query: when an API refuses the query (422 with field `errors`), the
    page is drawn again with each problem beside its field (`inputs.field_problems`) and nothing else."""

    template: str
    fields: tuple[str, ...]  # the form's fields, as in the query
    api_names: Mapping[str, str]  # the API's parameter → the form's field
    empty: Mapping[str, Any]  # what the template is given when there is nothing to show


FORM_PAGES: dict[str, FormPage] = {}  # path → its form page, registered beside the routes


def form_page(path: str, template: str, fields: tuple[str, ...], api_names: Mapping[str, str], **empty: Any) -> None:
    FORM_PAGES[path] = FormPage(template, fields, api_names, empty)


def refused_form(request: Request, errors: list[dict[str, Any]]) -> HTMLResponse | None:
    """The page's form again with the API's field errors beside the fields (None: not a form page)."""
    page = FORM_PAGES.get(request.url.path)
    if page is None or not errors:
        return None
    form = {name: request.query_params.get(name, "") for name in page.fields}
    problems = inputs.field_problems(errors, page.api_names)
    return render(request, page.template, 422, form=form, problems=problems, **page.empty)
