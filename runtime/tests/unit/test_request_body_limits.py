"""`LimitRequestBodies`: a body over its route's limit is 413 before the route or any dependency (a
token check) runs, from `Content-Length` or while a chunked body arrives; a route may allow more."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Form, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from linkwell_runtime.http_refusals import install_problem_handlers
from linkwell_runtime.input_guards import MAX_BODY_BYTES, LimitRequestBodies

LIMIT = 1000
calls: list[str] = []


class Body(BaseModel):
    text: str


def needs_a_token() -> None:
    calls.append("auth")


def limited_app() -> FastAPI:
    app = FastAPI()

    @app.post("/small", dependencies=[Depends(needs_a_token)])
    async def small(request: Request) -> dict:
        return {"bytes": len(await request.body())}

    @app.post("/json", dependencies=[Depends(needs_a_token)])
    async def json_body(body: Body) -> dict:
        return {"text": len(body.text)}

    @app.post("/form", dependencies=[Depends(needs_a_token)])
    async def form_body(text: Annotated[str, Form()]) -> dict:
        return {"text": len(text)}

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


def test_a_chunked_json_or_form_body_past_the_limit_is_413_not_fastapis_400():
    # FastAPI reads these bodies itself, before the route's dependencies, and turns any exception
    # but an HTTP one into 400 "There was an error parsing the body"
    calls.clear()
    client = TestClient(limited_app())
    payload = b'{"text": "' + b"x" * (LIMIT + 100) + b'"}'
    json_answer = client.post("/json", content=iter([payload[i : i + 100] for i in range(0, len(payload), 100)]))
    assert json_answer.status_code == 413 and json_answer.json()["type"] == "urn:linkwell:problem:too-large"
    form = b"text=" + b"x" * (LIMIT + 100)
    form_answer = client.post(
        "/form",
        content=iter([form[i : i + 100] for i in range(0, len(form), 100)]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form_answer.status_code == 413
    assert calls == []
    assert client.post("/json", json={"text": "short"}).json() == {"text": 5}  # within it: answered


def test_bodies_within_the_limit_pass_and_a_route_may_allow_more():
    client = TestClient(limited_app())
    assert client.post("/small", content=b"x" * LIMIT).json() == {"bytes": LIMIT}
    assert client.post("/upload", content=b"x" * (5 * LIMIT)).json() == {"bytes": 5 * LIMIT}
    assert client.post("/upload", content=chunks(5 * LIMIT)).json() == {"bytes": 5 * LIMIT}
    assert client.post("/upload", content=b"x" * (10 * LIMIT + 1)).status_code == 413


def test_an_unknown_path_gets_the_default_limit():
    assert TestClient(limited_app()).post("/nowhere", content=b"x" * (LIMIT + 1)).status_code == 413
    assert TestClient(limited_app()).post("/nowhere", content=b"x").status_code == 404
