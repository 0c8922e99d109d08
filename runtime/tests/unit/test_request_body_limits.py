"""`LimitRequestBodies`: a body over its route's limit is 413 before the route or any dependency (a
token check) runs, from `Content-Length` or while a chunked body arrives; a route may allow more."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient

from linkwell_runtime.http_refusals import install_problem_handlers
from linkwell_runtime.input_guards import MAX_BODY_BYTES, LimitRequestBodies

LIMIT = 1000
calls: list[str] = []


def needs_a_token() -> None:
    calls.append("auth")


def limited_app() -> FastAPI:
    app = FastAPI()

    @app.post("/small", dependencies=[Depends(needs_a_token)])
    async def small(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    @app.post("/upload", openapi_extra={MAX_BODY_BYTES: 10 * LIMIT})
    async def upload(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    install_problem_handlers(app)
    app.add_middleware(LimitRequestBodies, routes=app.router.routes, default=LIMIT)
    return app


def chunks(total: int, size: int = 100):
    for _ in range(total // size):
        yield b"x" * size


def test_a_declared_length_over_the_limit_is_413_and_nothing_runs():
    calls.clear()
    answer = TestClient(limited_app()).post("/small", content=b"x" * (LIMIT + 1))
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "urn:linkwell:problem:too-large" and str(LIMIT) in answer.json()["detail"]
    assert calls == []


def test_a_chunked_body_is_counted_and_refused_once_past_the_limit():
    calls.clear()
    answer = TestClient(limited_app()).post("/small", content=chunks(LIMIT + 100))
    assert answer.status_code == 413
    assert calls == []


def test_bodies_within_the_limit_pass_and_a_route_may_allow_more():
    client = TestClient(limited_app())
    assert client.post("/small", content=b"x" * LIMIT).json() == {"bytes": LIMIT}
    assert client.post("/upload", content=b"x" * (5 * LIMIT)).json() == {"bytes": 5 * LIMIT}
    assert client.post("/upload", content=chunks(5 * LIMIT)).json() == {"bytes": 5 * LIMIT}
    assert client.post("/upload", content=b"x" * (10 * LIMIT + 1)).status_code == 413


def test_an_unknown_path_gets_the_default_limit():
    assert TestClient(limited_app()).post("/nowhere", content=b"x" * (LIMIT + 1)).status_code == 413
    assert TestClient(limited_app()).post("/nowhere", content=b"x").status_code == 404
