"""Every refusal answers one problem-details body (RFC 9457), whatever raised it."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel

from linkwell_runtime.http_refusals import install_problem_handlers
from linkwell_runtime.problems import MEDIA_TYPE, field_problems
from linkwell_runtime.refusals import Conflict, Forbidden, Invalid, InvalidFields, NotFound


class DomainRefusal(Exception):
    """A service's own domain error, mapped to a status by the table it passes."""


class DomainFieldRefusal(Exception):
    pass


class Body(BaseModel):
    count: int


def app_raising() -> FastAPI:
    router = APIRouter()
    raised = {
        "not-found": NotFound("case not found"),
        "forbidden": Forbidden("not yours"),
        "conflict": Conflict("already closed"),
        "invalid": Invalid("referrer.role", "unknown role"),
        "fields": InvalidFields([(["query", "as_of"], "too early"), (["body", "x"], "bad")]),
        "domain": DomainRefusal("the episode has ended"),
        "domain-fields": DomainFieldRefusal(),
        "http": HTTPException(401, "missing bearer token", {"WWW-Authenticate": "Bearer"}),
    }

    @router.get("/raise/{kind}")
    def raise_(kind: str) -> None:
        raise raised[kind]

    @router.post("/bodies")
    def post(body: Body) -> Body:
        return body

    app = FastAPI()
    app.include_router(router)
    install_problem_handlers(
        app, {DomainRefusal: 409, DomainFieldRefusal: lambda _: field_problems([(["body", "on"], "in the future")])}
    )
    return app


def problem_of(path: str, method: str = "GET", **kwargs) -> tuple[int, dict, dict]:
    answer = TestClient(app_raising()).request(method, path, **kwargs)
    assert answer.headers["content-type"] == MEDIA_TYPE
    body = answer.json()
    assert body["status"] == answer.status_code and body["title"] and body["type"].startswith("urn:linkwell:problem:")
    return answer.status_code, body, dict(answer.headers)


def test_service_layer_refusals_answer_their_status_with_the_reason_as_detail():
    assert problem_of("/raise/not-found")[:2] == (
        404,
        {"type": "urn:linkwell:problem:not-found", "title": "Not Found", "status": 404, "detail": "case not found"},
    )
    assert problem_of("/raise/forbidden")[1]["detail"] == "not yours"
    assert problem_of("/raise/conflict")[0] == 409


def test_a_field_refusal_is_422_with_one_entry_per_field():
    status, body, _ = problem_of("/raise/invalid")
    assert status == 422 and body["errors"] == [
        {"loc": ["body", "referrer", "role"], "msg": "unknown role", "type": "value_error"}
    ]
    assert [e["loc"] for e in problem_of("/raise/fields")[1]["errors"]] == [["query", "as_of"], ["body", "x"]]


def test_a_services_own_domain_errors_answer_through_its_table():
    assert problem_of("/raise/domain")[:2] == (
        409,
        {
            "type": "urn:linkwell:problem:conflict",
            "title": "Conflict",
            "status": 409,
            "detail": "the episode has ended",
        },
    )
    assert problem_of("/raise/domain-fields")[1]["errors"][0]["loc"] == ["body", "on"]


def test_request_validation_and_http_exceptions_are_problems_too():
    status, body, _ = problem_of("/bodies", "POST", json={"count": "many"})
    assert status == 422 and body["errors"][0]["loc"] == ["body", "count"] and "input" not in body["errors"][0]
    status, body, headers = problem_of("/raise/http")
    assert (status, body["detail"], headers["www-authenticate"]) == (401, "missing bearer token", "Bearer")
    assert problem_of("/no/such/route")[0] == 404
