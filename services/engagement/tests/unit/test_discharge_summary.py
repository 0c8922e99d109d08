"""The discharge summary sent to the practice (issue 18 item 7, docs/domain.md §3.3): codes, reason,
dates and contacts always; the Star change per area, goals and services linked only with the patient's
consent to share outcomes with their GP."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.practice import SnomedConcept, discharge_summary_id
from engagement.domain.discharge_summary import discharge_summary

REVIEW_ON = date(2024, 7, 1)
DISCHARGED_ON = date(2024, 8, 1)


def worked_case(engaged_case, then, scores, known_services, ids, consent: str | None):
    case, history = engaged_case()
    better = scores | {"money": scores["money"] + 3, "lifestyle": scores["lifestyle"] - 1}
    case, history = then(
        case, history, case.record_star(uuid.uuid4(), taken_on=REVIEW_ON, scores=better, today=REVIEW_ON)
    )
    goal_id = uuid.uuid4()
    case, history = then(
        case,
        history,
        case.agree_goal(goal_id, description="Walk", star_areas=["lifestyle"], on=date(2024, 2, 1), today=REVIEW_ON),
    )
    case, history = then(case, history, case.update_goal(goal_id, "achieved", on=date(2024, 6, 1), today=REVIEW_ON))
    linkage_id = uuid.uuid4()
    made = case.make_linkage(
        linkage_id,
        service_id=ids["service"],
        category="physical_activity",
        known_services=known_services,
        on=date(2024, 2, 1),
        today=REVIEW_ON,
    )
    case, history = then(case, history, made)
    for status, on in (("referred", date(2024, 2, 2)), ("attended", date(2024, 3, 1))):
        case, history = then(case, history, case.update_linkage(linkage_id, status, on=on, today=REVIEW_ON))
    states = {None: [], "given": ["given"], "declined": ["declined"], "withdrawn": ["given", "withdrawn"]}[consent]
    for i, state in enumerate(states):
        recorded = case.record_consent("share_outcomes_with_gp", state, on=date(2024, 2, 1 + i), today=REVIEW_ON)
        case, history = then(case, history, recorded)
    reason = "goals_met"
    case, _ = then(case, history, case.discharge(reason, discharged_on=DISCHARGED_ON, today=DISCHARGED_ON))
    return case, goal_id


def test_with_consent_the_summary_carries_the_outcome_detail(engaged_case, then, scores, known_services, ids):
    case, goal_id = worked_case(engaged_case, then, scores, known_services, ids, consent="given")
    summary = discharge_summary(case, "A85002")
    assert summary.summary_id == discharge_summary_id(case.case_id)
    assert (summary.referral_id, summary.practice_ods_code, summary.reason.value) == (
        case.case_id,
        "A85002",
        "goals_met",
    )
    assert [c.code for c in summary.codes] == [SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING]
    assert (summary.opened_on, summary.discharged_on, summary.contacts_held) == (case.opened_on, DISCHARGED_ON, 1)
    assert summary.outcomes_shared is True
    change = {a.area.value: (a.baseline, a.latest, a.change) for a in summary.wellbeing.areas}
    assert change["money"] == (scores["money"], scores["money"] + 3, 3)
    assert change["lifestyle"] == (scores["lifestyle"], scores["lifestyle"] - 1, -1)
    assert summary.wellbeing.change == 2
    assert [(g.goal_id, g.status) for g in summary.goals] == [(goal_id, "achieved")]
    assert [(s.service_id, s.attended, s.status.value) for s in summary.services] == [
        (ids["service"], True, "attended")
    ]
    assert "Walk" not in summary.model_dump_json()  # no free text


@pytest.mark.parametrize("consent", [None, "declined", "withdrawn"])
def test_without_consent_only_codes_reason_dates_and_contacts_are_sent(
    engaged_case, then, scores, known_services, ids, consent
):
    case, _ = worked_case(engaged_case, then, scores, known_services, ids, consent=consent)
    summary = discharge_summary(case, "A86001")
    assert summary.outcomes_shared is False
    assert (summary.wellbeing, summary.goals, summary.services) == (None, (), ())
    assert (summary.contacts_held, summary.discharged_on) == (1, DISCHARGED_ON)


def test_a_patient_who_declined_further_support_is_coded_as_declined(contacted_case, then):
    case, history = contacted_case()
    case, _ = then(
        case,
        history,
        case.discharge("declined_further_support", discharged_on=DISCHARGED_ON, today=DISCHARGED_ON),
    )
    codes = [c.code.value for c in discharge_summary(case, "A86001").codes]
    assert codes == ["871731000000106", "871711000000103"]


def test_an_open_case_has_no_summary(open_case):
    case, _ = open_case()
    with pytest.raises(ValueError):
        discharge_summary(case, "A86001")
