"""Safeguarding concerns: raised, escalated, closed with an outcome; a closed concern is final
(docs/domain.md §4.13)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.casework import RiskLevel, SafeguardingConcernRaised
from engagement.domain import ConcernClosed, NotFound, ValidationFailed, highest_open_risk, open_concerns

TODAY = date(2024, 9, 2)
DESCRIPTION = "Disclosed that her partner takes her bank card"


def raised(case, concern_id=None, risk="high", on=date(2024, 2, 1), **overrides):
    fields = dict(
        category="domestic_abuse",
        risk_level=risk,
        description=DESCRIPTION,
        immediate_action="Gave the helpline number",
        on=on,
        today=TODAY,
    )
    return case.raise_concern(concern_id or uuid.uuid4(), **{**fields, **overrides})


def test_a_raised_concern_carries_codes_and_dates_and_never_its_words(open_case):
    case, _ = open_case()
    [event] = raised(case)
    assert isinstance(event, SafeguardingConcernRaised)
    assert (event.category.value, event.risk_level.value, event.immediate_action_taken) == (
        "domestic_abuse",
        "high",
        True,
    )
    assert DESCRIPTION not in event.model_dump_json() and "helpline" not in event.model_dump_json()


def test_an_escalated_concern_stays_open_until_closed_and_flags_the_case(open_case, then):
    case, history = open_case()
    concern_id = uuid.uuid4()
    case, history = then(case, history, raised(case, concern_id))
    case, history = then(
        case,
        history,
        case.escalate_concern(concern_id, to="adult_social_care", detail="Duty desk", on=date(2024, 2, 2), today=TODAY),
    )
    case, history = then(
        case, history, case.escalate_concern(concern_id, to="police", detail=None, on=date(2024, 2, 2), today=TODAY)
    )
    assert [c.concern_id for c in open_concerns(case)] == [concern_id]
    assert [e.to.value for e in case.concern(concern_id).escalations] == ["adult_social_care", "police"]
    case, _ = then(
        case,
        history,
        case.close_concern(
            concern_id, outcome="handed_to_statutory_services", note=None, on=date(2024, 2, 9), today=TODAY
        ),
    )
    assert open_concerns(case) == [] and highest_open_risk(case) is None


def test_a_closed_concern_cannot_be_escalated_or_closed_again(open_case, then):
    case, history = open_case()
    concern_id = uuid.uuid4()
    case, history = then(case, history, raised(case, concern_id))
    case, _ = then(
        case, history, case.close_concern(concern_id, outcome="resolved", note=None, on=date(2024, 2, 3), today=TODAY)
    )
    with pytest.raises(ConcernClosed, match=r"closed on 2024-02-03 .* cannot be escalated; raise a new concern"):
        case.escalate_concern(concern_id, to="gp", detail=None, on=date(2024, 2, 4), today=TODAY)
    with pytest.raises(ConcernClosed, match="cannot be closed again"):
        case.close_concern(concern_id, outcome="resolved", note=None, on=date(2024, 2, 4), today=TODAY)


def test_the_highest_open_risk_is_the_cases_flag(open_case, then):
    case, history = open_case()
    low, immediate = uuid.uuid4(), uuid.uuid4()
    case, history = then(case, history, raised(case, low, risk="low"))
    case, history = then(case, history, raised(case, immediate, risk="immediate"))
    assert highest_open_risk(case) is RiskLevel.IMMEDIATE
    case, _ = then(
        case, history, case.close_concern(immediate, outcome="unfounded", note=None, on=date(2024, 2, 2), today=TODAY)
    )
    assert highest_open_risk(case) is RiskLevel.LOW


def test_a_concern_may_be_raised_after_discharge_and_without_consent(open_case, then):
    case, history = open_case()
    case, history = then(case, history, case.record_consent("service", "declined", on=date(2024, 1, 9), today=TODAY))
    case, _ = then(
        case, history, case.discharge("declined_further_support", discharged_on=date(2024, 1, 9), today=TODAY)
    )
    assert raised(case, on=date(2024, 3, 1))


def test_an_unknown_concern_is_not_found(open_case):
    case, _ = open_case()
    with pytest.raises(NotFound):
        case.escalate_concern(uuid.uuid4(), to="gp", detail=None, on=date(2024, 2, 4), today=TODAY)


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"category": "gossip", "risk_level": "extreme"}, ("category", "risk_level")),
        ({"description": "  "}, ("description",)),
        ({"immediate_action": "x" * 2001}, ("immediate_action",)),
        ({"on": date(2024, 1, 7)}, ("raised_on",)),  # before the case opened
        ({"on": date(2024, 9, 3)}, ("raised_on",)),
    ],
)
def test_bad_concerns_are_refused_naming_each_field(open_case, overrides, fields):
    case, _ = open_case()
    with pytest.raises(ValidationFailed) as failed:
        raised(case, **overrides)
    assert failed.value.fields == fields


def test_escalation_and_closure_need_a_known_code_a_date_in_order_and_words_for_other(open_case, then):
    case, history = open_case()
    concern_id = uuid.uuid4()
    case, _ = then(case, history, raised(case, concern_id, on=date(2024, 2, 5)))
    with pytest.raises(ValidationFailed) as failed:
        case.escalate_concern(concern_id, to="other", detail=None, on=date(2024, 2, 4), today=TODAY)
    assert failed.value.fields == ("detail", "escalated_on")
    with pytest.raises(ValidationFailed) as failed:
        case.close_concern(concern_id, outcome="other", note="", on=date(2024, 2, 5), today=TODAY)
    assert failed.value.fields == ("note",)
    with pytest.raises(ValidationFailed) as failed:
        case.close_concern(concern_id, outcome="fine", note=None, on=date(2024, 2, 5), today=TODAY)
    assert failed.value.fields == ("outcome",)
