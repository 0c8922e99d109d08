"""The console's app: `create_app(settings, client_factory)`; uvicorn entry `app_from_env`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from console.adapters.platform_api import ApiRefused, ApiUnavailable, ClientFactory
from console.adapters.sessions import SESSION_COOKIE
from console.bootstrap import bootstrap
from console.config import Settings
from console.entrypoints.body_limits import ConsoleBodyLimits, TooLargeAsAPage
from console.entrypoints.pages import audit, auth, casework, claims, finance, manager, referrer, uploads
from console.entrypoints.web import HERE, BadCsrf, NotForThisRole, NotSignedIn, refused_form, render, services
from console.service_layer import inputs
from linkwell_runtime.health import database_check, health_router
from linkwell_runtime.logs import configure_logging


def create_app(
    settings: Settings | None = None,
    client_factory: ClientFactory | None = None,
    clock: Callable[[], float] | None = None,
) -> FastAPI:
    """`clock` (seconds since the epoch) fixes when sessions were signed and expire (tests)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = bootstrap(settings, client_factory, clock)
        try:
            yield
        finally:
            app.state.services.close()

    app = FastAPI(title="Linkwell console", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    checks = {"reporting": _answers(settings.reporting_url), "database": database_check(settings.database_url)}
    app.include_router(health_router(checks))
    for router in (
        auth.router,
        finance.router,
        claims.router,
        uploads.router,
        casework.router,
        referrer.router,
        manager.router,
        audit.router,
    ):
        app.include_router(router)
    _install_error_pages(app)
    # bodies over their route's limit are refused before they are read or the session checked
    app.add_middleware(ConsoleBodyLimits, routes=app.router.routes, settings=settings)
    app.add_middleware(TooLargeAsAPage, settings=settings)
    return app


def _answers(url: str) -> Any:
    def check() -> None:
        httpx.get(f"{url}/health", timeout=2).raise_for_status()

    return check


def _install_error_pages(app: FastAPI) -> None:
    """Every refusal as a page a person can read; never a stack trace."""

    async def not_signed_in(request: Request, _: Exception) -> Response:
        return RedirectResponse("/sign-in", status_code=303)

    async def forbidden(request: Request, exc: Exception) -> Response:
        message = "Your role may not see this page. Ask your administrator if you need it."
        return render(request, "error.html", 403, title="You cannot see this page", message=message)

    async def bad_csrf(request: Request, _: Exception) -> Response:
        message = "The form had expired or did not come from this site. Go back, reload the page and try again."
        return render(request, "error.html", 403, title="The form could not be accepted", message=message)

    async def unavailable(request: Request, exc: Exception) -> Response:
        service = getattr(exc, "service", "a service")
        message = f"The {service} service is not answering. Nothing was changed. Try again in a few minutes."
        response = render(request, "error.html", 503, title="Sorry, the service is unavailable", message=message)
        response.headers["Retry-After"] = "30"
        return response

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiRefused)
        if exc.status == 401:  # the session's token is no longer accepted (expired, or the secret changed)
            signed = services(request).cookies.session(request.cookies.get(SESSION_COOKIE))
            if signed is not None:
                services(request).sessions.end(signed.session_id)
            response = RedirectResponse("/sign-in", status_code=303)
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        if exc.status == 422:  # a form's query the API refused: the form again, each problem beside its field
            form = refused_form(request, exc.errors)
            if form is not None:
                return form
        titles = {403: "You cannot see this", 404: "Not found", 409: "That cannot be done now"}
        title = titles.get(exc.status, "That request was refused")
        return render(request, "error.html", exc.status, title=title, message=exc.detail)

    async def invalid_request(request: Request, exc: Exception) -> Response:
        """A request the console's own routes cannot read (a field of the wrong kind): the refusal page
        naming each field. (Pages check what people type themselves, beside each field.)"""
        assert isinstance(exc, RequestValidationError)
        problems = inputs.field_problems([dict(error) for error in exc.errors()], {})
        return render(request, "error.html", 422, title="That request was refused", message=problems[inputs.GENERAL])

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        title = "Page not found" if exc.status_code == 404 else "That request was refused"
        return render(request, "error.html", exc.status_code, title=title, message=str(exc.detail))

    async def crashed(request: Request, _: Exception) -> Response:
        message = "Something went wrong on our side. Nothing was changed. Try again later."
        return render(request, "error.html", 500, title="Sorry, there is a problem", message=message)

    app.add_exception_handler(NotSignedIn, not_signed_in)
    app.add_exception_handler(NotForThisRole, forbidden)
    app.add_exception_handler(BadCsrf, bad_csrf)
    app.add_exception_handler(ApiUnavailable, unavailable)
    app.add_exception_handler(ApiRefused, refused)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, crashed)


def app_from_env() -> FastAPI:
    # JSON log lines, and no access log: a console URL can carry what a person searched for (a name,
    # an NHS number), which must not reach a log file
    configure_logging("console", "api")
    return create_app()
