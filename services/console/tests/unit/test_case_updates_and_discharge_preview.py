"""The case page's update forms (issue 19): what each sends, what it refuses before any API is asked,
the path's ids, the items and statuses offered; the directory's nearest services; and engagement's
discharge summary preview put in words."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from star_kit import STAR as SCORES

from console.domain import case_items
from console.domain.directory_results import nearest_services, services, within
from console.domain.discharge_preview import from_summary
from console.service_layer.case_forms import FORMS, api_path
from console.service_layer.inputs import BadInput, field_problems

LONDON = ZoneInfo("Europe/London")
GOAL = "0190a0b0-0000-7000-8000-000000000001"
STEP = "0190a0b0-0000-7000-8000-000000000002"
STAR = "0190a0b0-0000-7000-8000-000000000003"


def test_a_step_update_fills_both_ids_of_its_path_and_a_bad_id_never_reaches_it():
    form = FORMS["step_update"]
    assert form.method == "PATCH"
    assert api_path(form, {"step_update_id": f"{GOAL}/{STEP}"}) == f"goals/{GOAL}/steps/{STEP}"
    assert api_path(form, {"step_update_id": f"{GOAL}/../../discharge"}) == f"goals/{GOAL}/steps/-"
    assert api_path(form, {"step_update_id": GOAL}) == f"goals/{GOAL}/steps/-"
    assert api_path(FORMS["star_void"], {"star_void_id": "x"}) == "stars/-/void"


def test_a_step_update_sends_only_what_changes_and_needs_a_status_or_a_date():
    form = FORMS["step_update"]
    assert form.body({"step_update_id": f"{GOAL}/{STEP}", "step_update_status": "done"}, LONDON) == {
        "status": "done",
        "on": None,
    }
    moved = form.body({"step_update_id": f"{GOAL}/{STEP}", "step_update_due_on": "2026-05-01"}, LONDON)
    assert moved == {"due_on": "2026-05-01", "on": None}
    with pytest.raises(BadInput) as refused:
        form.body({"step_update_id": f"{GOAL}/{STEP}"}, LONDON)
    assert set(refused.value.problems) == {"step_update_status"}


def test_a_goal_update_needs_the_goal_and_its_new_status():
    with pytest.raises(BadInput) as refused:
        FORMS["goal_update"].body({}, LONDON)
    assert set(refused.value.problems) == {"goal_update_id", "goal_update_status"}
    body = FORMS["goal_update"].body({"goal_update_id": GOAL, "goal_update_status": "achieved"}, LONDON)
    assert body == {"status": "achieved", "on": None, "note": None}


def test_a_goal_revised_carries_its_replacement_and_is_refused_without_its_words():
    typed = {"goal_update_id": GOAL, "goal_update_status": "revised", "goal_revise_areas": ["money", "lifestyle"]}
    with pytest.raises(BadInput) as refused:
        FORMS["goal_update"].body(typed, LONDON)
    assert set(refused.value.problems) == {"goal_revise_description"}
    body = FORMS["goal_update"].body(
        typed | {"goal_revise_description": "Join the credit union", "goal_revise_target_date": "2026-09-01"}, LONDON
    )
    assert body == {
        "status": "revised",
        "on": None,
        "note": None,
        "replacement": {
            "description": "Join the credit union",
            "star_areas": ["money", "lifestyle"],
            "target_date": "2026-09-01",
        },
    }
    errors = [{"loc": ["body", "replacement", "star_areas"], "msg": "at least one Star area"}]
    assert set(field_problems(errors, FORMS["goal_update"].api_names)) == {"goal_revise_areas"}


def test_an_escalation_names_its_concern_and_the_body_it_went_to():
    form = FORMS["concern_escalate"]
    concern = "0190a0b0-0000-7000-8000-000000000009"
    with pytest.raises(BadInput) as refused:
        form.body({"concern_escalate_id": concern}, LONDON)
    assert set(refused.value.problems) == {"concern_escalate_to"}
    typed = {"concern_escalate_id": concern, "concern_escalate_to": "adult_social_care", "concern_escalate_on": ""}
    assert form.body(typed, LONDON) == {"escalated_to": "adult_social_care", "detail": None, "escalated_on": None}
    assert api_path(form, typed) == f"safeguarding-concerns/{concern}/escalations"
    assert api_path(form, {"concern_escalate_id": "../closure"}) == "safeguarding-concerns/-/escalations"
    errors = [{"loc": ["body", "detail"], "msg": "required for other"}]
    assert set(field_problems(errors, form.api_names)) == {"concern_escalate_detail"}


def test_a_star_correction_refuses_a_score_that_is_not_a_number_beside_it_and_maps_the_apis_errors():
    typed = {f"correct_{a}": str(v) for a, v in SCORES.items()} | {"star_correct_id": STAR}
    with pytest.raises(BadInput) as refused:
        FORMS["star_correct"].body(typed | {"correct_money": "six"}, LONDON)
    assert set(refused.value.problems) == {"correct_money"}
    body = FORMS["star_correct"].body(typed | {"star_correct_reason": "Money and home swapped"}, LONDON)
    assert body == {"scores": SCORES, "reason": "Money and home swapped"}
    errors = [
        {"loc": ["body", "scores", "money"], "msg": "at most 10"},
        {"loc": ["body", "reason"], "msg": "is required"},
    ]
    assert set(field_problems(errors, FORMS["star_correct"].api_names)) == {"correct_money", "star_correct_reason"}


def test_preferences_are_sent_whole_from_checkboxes():
    body = FORMS["preferences"].body(
        {"pref_modes": ["phone", "text"], "pref_times": [], "pref_language": " PL ", "pref_interpreter": "yes"}, LONDON
    )
    assert body == {
        "contact_modes": ["phone", "text"],
        "contact_times": [],
        "language": "pl",
        "interpreter_needed": True,
        "accessibility_needs": [],
        "accessibility_note": None,
    }
    assert FORMS["preferences"].method == "PUT"


def test_an_extension_needs_its_review_date():
    with pytest.raises(BadInput) as refused:
        FORMS["extension"].body({"extension_reason": "Still working on housing"}, LONDON)
    assert set(refused.value.problems) == {"extension_review_on"}


def _case(**more):
    return {
        "case_id": "c",
        "opened_on": "2026-01-05",
        "contacted_on": "2026-01-07",
        "engaged_on": "2026-01-20",
        "consent": {"shares_outcomes_with_gp": False},
        "contacts": [
            {"occurred_at": "2026-01-07T10:00:00+00:00", "attended": True},
            {"occurred_at": "2026-01-14T10:00:00+00:00", "attended": False},
            {"occurred_at": "2026-02-01T10:00:00+00:00", "attended": True},
        ],
        "goals": [
            {
                "goal_id": GOAL,
                "status": "in_progress",
                "star_areas": ["lifestyle"],
                "agreed_on": "2026-01-20",
                "description": "Walk",
                "steps": [
                    {
                        "step_id": STEP,
                        "status": "planned",
                        "due_on": "2026-02-01",
                        "description": "Ask",
                        "is_overdue": True,
                    },
                    {"step_id": "s2", "status": "done", "due_on": "2026-01-25", "description": "Buy shoes"},
                ],
            },
            {"goal_id": "g2", "status": "achieved", "star_areas": ["money"], "agreed_on": "2026-01-20", "steps": []},
        ],
        "stars": [
            {
                "star_id": "a",
                "taken_on": "2026-01-20",
                "scores": SCORES,
                "total": 36,
                "voided_on": None,
                "kind": "baseline",
            },
            {
                "star_id": "b",
                "taken_on": "2026-03-01",
                "scores": SCORES | {"money": 9},
                "total": 39,
                "voided_on": None,
                "kind": "review",
            },
            {
                "star_id": "v",
                "taken_on": "2026-03-05",
                "scores": SCORES | {"money": 1},
                "total": 31,
                "voided_on": "2026-03-06",
                "recorded_kind": "review",
            },
        ],
        "linkages": [
            {
                "linkage_id": "k1",
                "service_id": "s",
                "service_name": "Tuesday walk",
                "category": "physical_activity",
                "status": "attended",
                "made_on": "2026-01-21",
                "history": [],
            },
            {
                "linkage_id": "k2",
                "service_id": "t",
                "service_name": "Debt advice",
                "category": "welfare_rights_advice",
                "status": "suggested",
                "made_on": "2026-02-02",
                "history": [],
            },
        ],
    } | more


SUMMARY = {
    "codes": [
        {"code": "871731000000106", "display": "Referral to social prescribing service"},
        {"code": "871711000000103", "display": "Social prescribing declined"},
    ],
    "reason": "declined_further_support",
    "opened_on": "2026-01-05",
    "first_contact_on": "2026-01-07",
    "engaged_on": None,
    "discharged_on": "2026-04-01",
    "contacts_held": 2,
    "outcomes_shared": False,
    "wellbeing": None,
    "goals": [],
    "services": [],
}


def test_the_apis_summary_without_outcomes_is_put_in_words():
    shown = from_summary(SUMMARY, _case())
    assert shown.codes[1] == ("871711000000103", "Social prescribing declined")
    assert (shown.reason, shown.first_contact_on, shown.engaged_on) == ("Declined further support", "2026-01-07", None)
    assert not shown.outcomes_shared and shown.wellbeing is None and shown.goals == () and shown.services == ()


def test_the_apis_outcomes_are_named_from_the_case_goals_by_their_star_areas():
    shared = SUMMARY | {
        "outcomes_shared": True,
        "wellbeing": {
            "baseline_on": "2026-01-20",
            "latest_on": "2026-03-01",
            "baseline_total": 36,
            "latest_total": 39,
            "change": 3,
            "areas": [{"area": "money", "baseline": 6, "latest": 9, "change": 3}],
        },
        "goals": [
            {"goal_id": GOAL, "star_areas": ["lifestyle", "money"], "status": "in_progress", "agreed_on": "2026-01-20"}
        ],
        "services": [
            {
                "service_id": "s",
                "category": "physical_activity",
                "status": "attended",
                "attended": True,
                "made_on": "2026-01-21",
            },
            {
                "service_id": "gone",
                "category": "arts",
                "status": "declined",
                "attended": False,
                "made_on": "2026-01-21",
            },
        ],
    }
    shown = from_summary(shared, _case())
    assert shown.wellbeing is not None and shown.wellbeing.areas[0].area == "Money" and shown.wellbeing.change == 3
    assert shown.goals == (("Your lifestyle, Money", "In progress", "2026-01-20"),)
    assert [(s[0], s[2], s[3]) for s in shown.services] == [
        ("Tuesday walk", "Attended", True),
        ("gone", "Declined", False),
    ]


def test_only_what_can_still_move_is_offered_with_the_statuses_it_may_take():
    case = _case()
    assert [(c.value, c.moves) for c in case_items.goals(case)] == [(GOAL, ("achieved", "revised", "abandoned"))]
    [step] = case_items.steps(case)
    assert step.value == f"{GOAL}/{STEP}" and "overdue" in step.label
    assert [c.value for c in case_items.stars(case)] == ["b", "a"]  # newest first, the voided one left out
    assert case_items.latest_scores(case)["correct_money"] == "9"
    assert [(c.value, c.moves) for c in case_items.linkages(case)] == [("k2", ("referred", "declined"))]


def test_a_service_met_at_several_places_is_listed_once_at_its_nearest():
    rows = [
        {"distance": 3200, "service": {"id": "a", "name": "Walk", "status": "active"}},
        {"distance": 800, "service": {"id": "b", "name": "Choir", "status": "active"}},
        {"distance": 1500, "service": {"id": "a", "name": "Walk", "status": "active"}},
    ]
    assert [(f.id, f.distance) for f in nearest_services(rows)] == [("b", "0.8 km"), ("a", "1.5 km")]
    assert [f.id for f in services([{"id": "x", "name": "X"}])] == ["x"]
    assert (within("5"), within("7"), within(""), within("-1")) == (5, None, None, None)
