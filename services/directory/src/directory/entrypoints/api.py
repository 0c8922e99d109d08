"""The directory's HTTP app: ORUK 3.0 reads (public) and authenticated writes."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from linkwell_runtime.health import service_health_router
from linkwell_runtime.http_errors import install_common_errors

from directory.bootstrap import bootstrap
from directory.config import Settings
from directory.domain.errors import Conflict, NotFound, ValidationFailed
from directory.entrypoints import read_routes, write_routes


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="Linkwell directory (Open Referral UK 3.0)", version="3.0")
    app.state.settings = settings
    app.state.pool = bootstrap(settings)
    app.include_router(service_health_router(settings))
    app.include_router(read_routes.router)
    app.include_router(write_routes.router)
    _map_errors(app)
    return app


def _map_errors(app: FastAPI) -> None:
    @app.exception_handler(ValidationFailed)
    def _invalid(_: Request, exc: ValidationFailed) -> JSONResponse:
        return JSONResponse({"detail": exc.errors}, 422)

    @app.exception_handler(NotFound)
    def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 404)

    @app.exception_handler(Conflict)
    def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 409)

    install_common_errors(app)


def app_from_env() -> FastAPI:
    """uvicorn --factory entry: settings from the environment."""
    return create_app(Settings())
