"""The patient's details form (issue 19), pure: drawn with what the page shows, only what changed sent
with the reason, what cannot be sent refused with no API asked, and the API's refusals beside the fields
or on the form."""

from __future__ import annotations

import pytest

from console.adapters.platform_api import ApiRefused
from console.domain.caseload import patient
from console.service_layer import patient_details as pd
from console.service_layer.inputs import BadInput

SHOWN = patient(
    {
        "given_name": "Joan",
        "family_name": "Robsen",
        "postcode": "NE4 6QA",
        "phone": "01914960000",
        "email": None,
        "erased": False,
    }
)


def test_the_form_is_drawn_with_the_details_shown_and_no_reason():
    drawn = pd.recorded(SHOWN)
    assert drawn["details_family_name"] == drawn["details_was_family_name"] == "Robsen"
    assert drawn["details_address"] == drawn["details_email"] == "" and drawn["details_reason"] == ""


def test_only_the_details_changed_are_sent_with_the_reason():
    typed = pd.recorded(SHOWN) | {"details_phone": " 07700 900123 ", "details_reason": "changed"}
    assert pd.body(typed) == {"reason": "changed", "phone": "07700 900123"}
    typed |= {"details_family_name": "Robson", "details_address": "1 Elswick Road"}
    assert pd.body(typed) == {
        "reason": "changed",
        "phone": "07700 900123",
        "family_name": "Robson",
        "address": "1 Elswick Road",
    }


def test_an_emptied_detail_is_sent_for_the_api_to_refuse_beside_it():
    typed = pd.recorded(SHOWN) | {"details_given_name": " ", "details_reason": "entered_wrongly"}
    assert pd.body(typed) == {"reason": "entered_wrongly", "given_name": ""}


def test_no_reason_and_nothing_changed_are_refused_with_no_api_asked():
    with pytest.raises(BadInput) as refused:
        pd.body(pd.recorded(SHOWN) | {"details_reason": "because"})
    assert set(refused.value.problems) == {"details_reason", "_patient-details"}


def test_the_apis_field_errors_go_beside_the_fields_and_a_conflict_on_the_form():
    errors = [
        {"loc": ["body", "postcode"], "msg": "Value error, not a UK postcode"},
        {"loc": ["body", "details"], "msg": "give at least one detail to correct"},
        {"loc": ["body", "reason"], "msg": "Input should be 'entered_wrongly' or 'changed'"},
    ]
    problems = pd.refused_problems(ApiRefused(422, {"detail": "invalid", "errors": errors}))
    assert problems is not None
    assert problems["details_postcode"] == "This value was refused: not a UK postcode"
    assert set(problems) == {"details_postcode", "details_reason", "_patient-details"}
    ended = pd.refused_problems(ApiRefused(409, {"detail": "the episode has ended"}))
    assert ended == {"_patient-details": "the episode has ended"}
    assert pd.refused_problems(ApiRefused(404, {"detail": "referral not found"})) is None
