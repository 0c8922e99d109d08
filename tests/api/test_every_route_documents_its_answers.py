"""Every service's OpenAPI document says what each route answers: a model for every JSON answer (no
free-form object), problem details for its refusals, the content types of its files, a summary,
tags, and the service's own API version. Read from the apps themselves, without starting them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI

from directory.entrypoints.api import create_app as directory_app
from engagement.entrypoints.api import create_app as engagement_app
from linkwell_runtime.problems import MEDIA_TYPE
from referral.entrypoints.api import create_app as referral_app
from reporting.entrypoints.api import create_app as reporting_app

APPS = {"referral": referral_app, "engagement": engagement_app, "directory": directory_app, "reporting": reporting_app}
PROBE_PATHS = {"/health", "/ready"}


def operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    spec = app.openapi()
    return [(method.upper(), path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


def resolved(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


@pytest.fixture(params=sorted(APPS))
def app(request: pytest.FixtureRequest) -> FastAPI:
    return APPS[request.param]()


def test_every_operation_has_a_summary_and_tags(app):
    assert [(m, p) for m, p, op in operations(app) if not op.get("summary") or not op.get("tags")] == []


def test_every_json_answer_has_a_model_not_a_free_form_object(app):
    spec, weak = app.openapi(), []
    for method, path, op in operations(app):
        for status, answer in op["responses"].items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if status.startswith("2") and schema is not None:
                shape = resolved(spec, schema)
                free_form = shape.get("additionalProperties") is True and not shape.get("properties")
                if shape in ({}, {"type": "object"}) or free_form:
                    weak.append((method, path, status))
    assert weak == []


def test_every_route_documents_its_refusals_as_problem_details(app):
    undocumented = []
    for method, path, op in operations(app):
        if path in PROBE_PATHS:
            continue
        refusals = {s: a for s, a in op["responses"].items() if s[0] in "45"}
        if "503" not in refusals or ((op.get("parameters") or op.get("requestBody")) and "422" not in refusals):
            undocumented.append((method, path, "503/422 missing"))
        for status, answer in refusals.items():
            schema = answer.get("content", {}).get(MEDIA_TYPE, {}).get("schema") or answer.get("content", {}).get(
                "application/json", {}
            ).get("schema", {})
            if schema.get("$ref", "").rsplit("/", 1)[-1] != "Problem":
                undocumented.append((method, path, status))
    assert undocumented == []


def test_routes_that_need_a_token_document_401():
    for name, make in APPS.items():
        for method, path, op in operations(make()):
            if op.get("security"):
                assert "401" in op["responses"], (name, method, path)


def test_each_service_has_its_own_api_version_and_the_directory_keeps_oruk_in_its_metadata():
    versions = {name: make().openapi()["info"]["version"] for name, make in APPS.items()}
    assert all(v and v[0].isdigit() for v in versions.values()), versions
    assert versions["directory"] != "3.0"
    assert "3.0" in directory_app().openapi()["info"]["description"]
