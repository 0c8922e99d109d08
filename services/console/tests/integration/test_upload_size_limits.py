"""Bodies over their route's limit are refused with a page a person can read (413), before the upload
reaches the reporting service: the upload form takes MAX_UPLOAD_BYTES, every other form a few KiB.
(That the body is not even read is shown against a real server in browser/test_body_limits.py.)"""

from __future__ import annotations

from console_testkit import csrf, sign_in

from console.entrypoints.body_limits import FORM_BYTES, MULTIPART_SLACK


def test_a_file_over_the_upload_limit_gets_a_readable_page_and_nothing_is_uploaded(
    console, console_settings, apis, seeded
):
    sign_in(console, "finance")
    token = csrf(console.get("/uploads"))
    console_settings.max_upload_bytes = 1024 * 1024
    calls: list[str] = []
    apis["reporting"].event_hooks["request"].append(lambda request: calls.append(request.method))
    big = b"quarter,per_head_cost_pence\n" + b"2025Q1,100\n" * (1024 * 1024 // 11 + MULTIPART_SLACK // 11 + 10)
    answer = console.post(
        "/uploads",
        data={"kind": "comparison-costs", "csrf_token": token},
        files={"file": ("costs.csv", big, "text/csv")},
    )
    assert answer.status_code == 413 and answer.headers["content-type"].startswith("text/html")
    assert "The file is too large" in answer.text and "larger than 1 MB" in answer.text
    assert 'href="/uploads"' in answer.text and "Traceback" not in answer.text
    assert "POST" not in calls
    assert "No upload has been accepted yet" in console.get("/uploads").text


def test_a_file_within_the_upload_limit_is_not_refused_by_the_body_limit(console, console_settings, seeded):
    sign_in(console, "finance")
    token = csrf(console.get("/uploads"))
    body = b"quarter,per_head_cost_pence\n2025Q1,100\n" + b"\n" * (FORM_BYTES * 2)  # over the forms' limit
    answer = console.post(
        "/uploads",
        data={"kind": "comparison-costs", "csrf_token": token},
        files={"file": ("costs.csv", body, "text/csv")},
    )
    assert answer.status_code == 201, answer.text[:300]


def test_any_other_form_over_a_few_kib_is_refused_before_it_is_read(console):
    page = console.get("/sign-in")
    answer = console.post("/sign-in", data={"user": "finance" + "x" * FORM_BYTES, "csrf_token": csrf(page)})
    assert answer.status_code == 413 and "That request was too large" in answer.text
    assert console.get("/", follow_redirects=False).headers["location"] == "/sign-in"
