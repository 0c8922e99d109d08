"""A request the console's own routes cannot even read (a form field of the wrong kind) gets a page a
person can read, naming the field, never FastAPI's JSON; and nothing is sent on to a service."""

from __future__ import annotations

from console_testkit import csrf, sign_in


def test_a_file_field_sent_as_text_gets_a_page_naming_it_and_nothing_is_uploaded(console, apis, seeded):
    sign_in(console, "finance")
    token = csrf(console.get("/uploads"))
    calls: list[str] = []
    apis["reporting"].event_hooks["request"].append(lambda request: calls.append(request.method))
    answer = console.post(
        "/uploads",
        data={"kind": "comparison-costs", "csrf_token": token, "file": "quarter,per_head_cost_pence"},
        files={"other": ("x.txt", b"x", "text/plain")},  # multipart, with `file` a text field
    )
    assert answer.status_code == 422, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "That request was refused" in answer.text and "file:" in answer.text
    assert "Traceback" not in answer.text and '"detail"' not in answer.text
    assert "POST" not in calls
