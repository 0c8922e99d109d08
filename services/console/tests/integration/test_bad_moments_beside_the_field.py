"""A moment or date the APIs would refuse is refused by the page itself, beside its field, and no API is
asked; whatever an API still refuses with field errors comes back as the form with the problems on it,
never a generic error page."""

from __future__ import annotations

import re

import pytest
from console_testkit import CORRECTION_AFTER, sign_in

OUTSIDE_THE_CALENDAR = "0001-01-01T00:00:00+23:59"  # RFC 3339, but no moment once in UTC


@pytest.fixture
def reporting_calls(apis) -> list[str]:
    """The paths the console asks the reporting service for, from now on."""
    calls: list[str] = []
    apis["reporting"].event_hooks["request"].append(lambda request: calls.append(request.url.path))
    return calls


def _beside(html: str, field: str) -> str:
    found = re.search(
        rf'<span class="nhsuk-error-message" id="{field}-error">(.*?)</span>\s*<input[^>]*id="{field}"', html, re.S
    )
    assert found, f"no message beside {field}"
    return found.group(1)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/charts", {"known_at": OUTSIDE_THE_CALENDAR}, "known_at"),
        ("/payable", {"known_at": OUTSIDE_THE_CALENDAR}, "known_at"),
        ("/changes", {"before": OUTSIDE_THE_CALENDAR, "after": CORRECTION_AFTER}, "before"),
        ("/changes", {"as_of": "20251231", "before": CORRECTION_AFTER, "after": CORRECTION_AFTER}, "as_of"),
        ("/charts", {"known_at": "2025-09-01T12+01:00"}, "known_at"),
    ],
)
def test_a_moment_the_api_would_refuse_is_refused_beside_its_field_without_asking_it(
    console, seeded, reporting_calls, path, params, field
):
    sign_in(console, "finance")
    reporting_calls.clear()
    page = console.get(path, params=params)
    assert page.status_code == 422 and "There is a problem" in page.text
    assert "That request was refused" not in page.text
    assert _beside(page.text, field)
    assert reporting_calls == []


def test_the_message_says_what_is_wrong_with_the_moment(console, seeded):
    sign_in(console, "finance")
    page = console.get("/charts", params={"known_at": OUTSIDE_THE_CALENDAR})
    assert "outside the calendar once converted to UTC" in _beside(page.text, "known_at")
    assert f'value="{OUTSIDE_THE_CALENDAR}"' in page.text  # what was typed stays in the field


def test_an_apis_422_comes_back_as_the_form_with_the_problem_on_it(console, seeded, reporting_calls):
    sign_in(console, "finance")
    page = console.get("/payable", params={"as_of": "2025-12-31", "provider": "not-a-provider-id"})
    assert reporting_calls  # the console does not check provider ids: the reporting API refused it
    assert page.status_code == 422 and "There is a problem" in page.text
    assert "That request was refused" not in page.text and "valid UUID" in page.text
    assert 'id="as_of"' in page.text and 'value="2025-12-31"' in page.text  # the form, as it was filled in
