from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from linkwell_runtime.http_refusals import install_problem_handlers
from linkwell_runtime.input_guards import Instant, PageNumber


class Note(BaseModel):
    text: str
    amount: float = 0


def guarded_app() -> FastAPI:
    app = FastAPI()

    @app.post("/notes")
    def create(note: Note, page: PageNumber = 1) -> dict:
        return {"text": note.text, "page": page}

    install_problem_handlers(app)
    return app


def test_nul_in_a_json_string_is_422_naming_the_field_and_the_route_never_runs():
    answer = TestClient(guarded_app()).post(
        "/notes", content=b'{"text": "a\\u0000b"}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "text"]


def test_nul_in_a_query_parameter_is_422_naming_it():
    answer = TestClient(guarded_app()).post("/notes?page=%00", json={"text": "ok"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["query", "page"]


def test_non_finite_number_is_a_422_not_a_500():
    answer = TestClient(guarded_app()).post(
        "/notes", content=b'{"text": 1e999}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422
    assert "input" not in answer.json()["errors"][0]


def test_page_beyond_what_postgres_can_offset_is_422():
    assert TestClient(guarded_app()).post("/notes?page=9223372036854775807", json={"text": "ok"}).status_code == 422


def test_a_good_request_passes_the_guards():
    assert TestClient(guarded_app()).post("/notes?page=2", json={"text": "fine"}).json() == {"text": "fine", "page": 2}


def test_instant_is_kept_in_utc_and_in_range():
    instant = TypeAdapter(Instant)
    assert instant.validate_python("2026-01-01T00:00:00+16:00").utcoffset().total_seconds() == 0
    with pytest.raises(ValidationError):
        instant.validate_python("0001-01-01T00:00:00Z")
    with pytest.raises(ValidationError):
        instant.validate_python(datetime(2026, 1, 1))  # naive


def test_instant_at_the_ends_of_the_calendar_or_as_unix_time_is_refused_not_a_crash():
    instant = TypeAdapter(Instant)
    for bad in ("0001-01-01T00:00:00+23:59", "1704067200", 1704067200, "20240101"):
        with pytest.raises(ValidationError):
            instant.validate_python(bad)


def test_a_streamed_answer_passes_the_guard_whole():
    """The guard reads the request body first; a response that listens for the client leaving must
    still be sent in full (it was cut to nothing when the guard said the client had gone)."""
    app = FastAPI()

    @app.get("/rows.csv")
    def rows() -> StreamingResponse:
        return StreamingResponse((f"{i},row\n" for i in range(1000)), media_type="text/csv")

    install_problem_handlers(app)
    answer = TestClient(app).get("/rows.csv")
    assert answer.text.count("\n") == 1000 and answer.text.endswith("999,row\n")
