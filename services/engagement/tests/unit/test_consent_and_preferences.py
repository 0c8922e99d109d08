"""Consent to the service and to sharing outcomes with the GP, what consent to the service allows, and
the patient's preferences (docs/domain.md §4.12)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from contracts.casework import ConsentKind, ConsentRecorded, ConsentState, PreferencesRecorded
from engagement.domain import (
    CaseClosed,
    ConsentRefused,
    InvalidCommand,
    ValidationFailed,
    current_consent,
    service_refused_on,
    shares_outcomes_with_gp,
)

WITHDRAWN_ON = date(2024, 3, 4)
GIVEN_AGAIN_ON = date(2024, 3, 11)


def consent(case, state, on, kind="service", today=date(2024, 9, 2)):
    return case.record_consent(kind, state, on=on, today=today)


def withdrawn_then_given_again(contacted_case, then):
    case, history = contacted_case()
    case, history = then(case, history, consent(case, "given", case.contacted_on))
    case, history = then(case, history, consent(case, "withdrawn", WITHDRAWN_ON))
    return then(case, history, consent(case, "given", GIVEN_AGAIN_ON))


def contact(case, day, when):
    return case.record_contact(
        uuid.uuid4(), occurred_at=when(day), mode="telephone", duration_minutes=20, attended=True, now=when(day, 23)
    )


def test_consent_is_recorded_as_an_event_with_its_state_and_date(contacted_case):
    case, _ = contacted_case()
    [event] = consent(case, "given", date(2024, 1, 10), kind="share_outcomes_with_gp")
    assert isinstance(event, ConsentRecorded)
    assert (event.consent, event.state, event.on) == (
        ConsentKind.SHARE_OUTCOMES_WITH_GP,
        ConsentState.GIVEN,
        date(2024, 1, 10),
    )
    assert event.case_id == case.case_id and event.patient_id == case.patient_id


def test_withdrawn_then_given_again_keeps_every_change(contacted_case, then):
    case, _ = withdrawn_then_given_again(contacted_case, then)
    assert [(c.state, c.on) for c in case.consents] == [
        (ConsentState.GIVEN, case.contacted_on),
        (ConsentState.WITHDRAWN, WITHDRAWN_ON),
        (ConsentState.GIVEN, GIVEN_AGAIN_ON),
    ]
    assert current_consent(case, ConsentKind.SERVICE).state is ConsentState.GIVEN


@pytest.mark.parametrize(
    ("day", "refused"),
    [
        (WITHDRAWN_ON - timedelta(days=1), False),  # before the withdrawal: consent stood
        (WITHDRAWN_ON, False),  # the session in which the patient withdrew
        (WITHDRAWN_ON + timedelta(days=1), True),
        (GIVEN_AGAIN_ON - timedelta(days=1), True),  # the last day without consent
        (GIVEN_AGAIN_ON, False),  # given again at that session
    ],
)
def test_work_between_a_withdrawal_and_consent_given_again_is_refused_at_the_boundaries(
    contacted_case, then, when, day, refused
):
    case, _ = withdrawn_then_given_again(contacted_case, then)
    assert (service_refused_on(case, day) is not None) is refused
    if refused:
        with pytest.raises(ConsentRefused, match="withdrawn on 2024-03-04"):
            contact(case, day, when)
    else:
        assert contact(case, day, when)


def test_every_kind_of_new_work_needs_consent_but_updates_and_discharge_do_not(engaged_case, then, when, scores):
    case, history = engaged_case()
    goal_id = uuid.uuid4()
    case, history = then(
        case,
        history,
        case.agree_goal(
            goal_id, description="walk", star_areas=["lifestyle"], on=date(2024, 2, 1), today=date(2024, 9, 2)
        ),
    )
    case, history = then(case, history, consent(case, "given", date(2024, 2, 1)))
    case, history = then(case, history, consent(case, "withdrawn", date(2024, 3, 1)))
    after, today = date(2024, 3, 5), date(2024, 9, 2)
    refused = [
        lambda: contact(case, after, when),
        lambda: case.record_failed_attempt(uuid.uuid4(), occurred_at=when(after), now=when(after, 23)),
        lambda: case.agree_goal(uuid.uuid4(), description="x", star_areas=["money"], on=after, today=today),
        lambda: case.record_star(uuid.uuid4(), taken_on=after, scores=scores, today=today),
        lambda: case.make_linkage(
            uuid.uuid4(),
            service_id=uuid.UUID(int=1),
            category="arts",
            known_services={uuid.UUID(int=1): "active"},
            on=after,
            today=today,
        ),
        lambda: case.add_step(goal_id, uuid.uuid4(), description="x", due_on=after, on=after, today=today),
        lambda: case.extend(reason="x", review_on=after + timedelta(days=30), today=today, on=after),
    ]
    for command in refused:
        with pytest.raises(ConsentRefused):
            command()
    assert case.update_goal(goal_id, "abandoned", on=after, today=today)
    assert case.discharge("declined_further_support", discharged_on=after, today=today)


def test_no_consent_recorded_yet_refuses_nothing(open_case, when):
    case, _ = open_case()
    assert service_refused_on(case, date(2024, 2, 1)) is None
    assert contact(case, date(2024, 2, 1), when)


def test_a_decline_refuses_work_after_its_day_like_a_withdrawal(open_case, when):
    case, _ = open_case()
    case = case.apply_all(consent(case, "declined", date(2024, 1, 9)))
    assert contact(case, date(2024, 1, 9), when)
    with pytest.raises(ConsentRefused, match="declined on 2024-01-09"):
        contact(case, date(2024, 1, 10), when)


@pytest.mark.parametrize(
    ("states", "refused", "message"),
    [
        (["withdrawn"], "withdrawn", "never given"),
        (["given", "given"], "given", "already given"),
        (["given", "declined"], "declined", "only be given again"),
        (["declined", "withdrawn"], "withdrawn", "only be given again"),
    ],
)
def test_consent_moves_only_none_given_withdrawn_given_or_declined_given(open_case, states, refused, message):
    case, _ = open_case()
    day = date(2024, 1, 9)
    for state in states[:-1]:
        case = case.apply_all(consent(case, state, day))
    with pytest.raises(InvalidCommand, match=message):
        consent(case, refused, day)


def test_a_withdrawal_cannot_be_dated_before_work_done_with_consent(contacted_case, then):
    case, history = contacted_case(on=date(2024, 1, 20))
    case, _ = then(case, history, consent(case, "given", date(2024, 1, 10)))
    with pytest.raises(InvalidCommand, match="work is recorded on 2024-01-20"):
        consent(case, "withdrawn", date(2024, 1, 19))
    assert consent(case, "withdrawn", date(2024, 1, 20))  # the same day: the last session


def test_consent_dates_are_checked_and_never_go_backwards(open_case):
    case, _ = open_case()
    case = case.apply_all(consent(case, "given", date(2024, 2, 1)))
    for on, message in (
        (date(2024, 1, 31), "before this consent's last change"),
        (date(2024, 9, 3), "in the future"),
        (date(2024, 1, 7), "before"),
    ):
        with pytest.raises(ValidationFailed) as failed:
            consent(case, "withdrawn", on)
        assert failed.value.fields == ("on",) and message in str(failed.value)
    with pytest.raises(ValidationFailed) as failed:
        case.record_consent("texts", "maybe", on=date(2024, 2, 2), today=date(2024, 9, 2))
    assert set(failed.value.fields) == {"consent", "state"}


def test_sharing_outcomes_with_the_gp_needs_consent_to_share_standing_now(open_case, then):
    case, history = open_case()
    assert not shares_outcomes_with_gp(case)
    case, history = then(case, history, consent(case, "given", date(2024, 1, 9), kind="share_outcomes_with_gp"))
    case, history = then(case, history, consent(case, "given", date(2024, 1, 9)))
    assert shares_outcomes_with_gp(case)
    case, history = then(case, history, consent(case, "withdrawn", date(2024, 1, 12), kind="share_outcomes_with_gp"))
    assert not shares_outcomes_with_gp(case)
    assert current_consent(case, ConsentKind.SERVICE).state is ConsentState.GIVEN  # the other consent is its own


def test_a_closed_case_takes_no_consent_or_preferences(open_case, then):
    case, history = open_case()
    case, _ = then(case, history, case.discharge("moved_away", discharged_on=date(2024, 1, 9), today=date(2024, 9, 2)))
    with pytest.raises(CaseClosed):
        consent(case, "given", date(2024, 1, 9))
    with pytest.raises(CaseClosed):
        preferences(case)


def preferences(case, **overrides):
    fields = dict(
        contact_modes=["phone", "text"],
        contact_times=["weekday_morning"],
        language="pl",
        interpreter_needed=True,
        accessibility_needs=["large_print"],
        accessibility_note=None,
        on=date(2024, 2, 1),
        today=date(2024, 9, 2),
    )
    return case.record_preferences(**{**fields, **overrides})


def test_preferences_travel_as_codes_and_the_note_only_as_a_flag(open_case):
    case, _ = open_case()
    [event] = preferences(case, accessibility_needs=["other"], accessibility_note="Lives upstairs at 4 Elm Road")
    assert isinstance(event, PreferencesRecorded)
    assert event.language == "pl" and event.interpreter_needed and event.has_accessibility_note
    assert "Elm" not in event.model_dump_json()
    assert [m.value for m in event.contact_modes] == ["phone", "text"]


def test_each_set_of_preferences_replaces_the_last_and_the_history_stays(open_case, then):
    case, history = open_case()
    case, history = then(case, history, preferences(case))
    case, history = then(case, history, preferences(case, language="bfi", on=date(2024, 3, 1)))
    assert [p.language for p in case.preferences] == ["pl", "bfi"]  # British Sign Language, ISO 639-3


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"contact_modes": ["pigeon"]}, ("contact_modes[0]",)),
        ({"contact_times": ["midnight"]}, ("contact_times[0]",)),
        ({"language": "xx"}, ("language",)),
        ({"language": "polish"}, ("language",)),
        ({"language": None, "interpreter_needed": True}, ("language",)),
        ({"accessibility_needs": ["other"]}, ("accessibility_note",)),
        ({"accessibility_note": "x" * 2001}, ("accessibility_note",)),
        ({"on": date(2024, 9, 3)}, ("recorded_on",)),
    ],
)
def test_bad_preferences_are_refused_naming_each_field(open_case, overrides, fields):
    case, _ = open_case()
    with pytest.raises(ValidationFailed) as failed:
        preferences(case, **overrides)
    assert failed.value.fields == fields
