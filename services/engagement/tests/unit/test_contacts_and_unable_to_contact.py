import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from contracts.engagement import (
    CaseContacted,
    ContactAttemptFailed,
    ContactMode,
    ContactRecorded,
    ContactVenue,
    UnableToContact,
)
from engagement.domain import (
    CaseClosed,
    CaseStatus,
    InvalidCommand,
    ValidationFailed,
    unable_to_contact_window,
)

FIRST_ATTEMPT = date(2024, 2, 1)


def contact(case, when, *, attended=True, **overrides):
    fields = dict(
        occurred_at=when,
        mode="telephone",
        duration_minutes=15,
        attended=attended,
        now=datetime(2024, 9, 2, 12, tzinfo=UTC),
    )
    return case.record_contact(uuid.uuid4(), **{**fields, **overrides})


def attempt(case, when):
    return case.record_failed_attempt(uuid.uuid4(), occurred_at=when, now=datetime(2024, 9, 2, 12, tzinfo=UTC))


def attempts_on(case, history, then, when, days_after_first):
    for offset in days_after_first:
        new = attempt(case, when(FIRST_ATTEMPT + timedelta(days=offset)))
        case, history = then(case, history, new)
    return case, history, new


def test_an_attended_contact_is_recorded_with_its_details(open_case, when):
    case, _ = open_case()
    events = contact(case, when(date(2024, 1, 10)), mode="face_to_face", duration_minutes=50, venue="cafe")
    recorded = events[0]
    assert isinstance(recorded, ContactRecorded)
    assert (recorded.mode, recorded.duration_minutes, recorded.venue) == (
        ContactMode.FACE_TO_FACE,
        50,
        ContactVenue.CAFE,
    )


def test_the_first_attended_contact_also_marks_the_case_contacted(open_case, when, then):
    case, history = open_case()
    events = contact(case, when(date(2024, 1, 10)))
    assert [type(e) for e in events] == [ContactRecorded, CaseContacted]
    assert events[1].contact_id == events[0].contact_id and events[1].contacted_on == date(2024, 1, 10)
    case, _ = then(case, history, events)
    assert case.status is CaseStatus.CONTACTED and case.contacted_on == date(2024, 1, 10)


def test_later_attended_contacts_do_not_mark_the_case_contacted_again(contacted_case, when):
    case, _ = contacted_case()
    assert [type(e) for e in contact(case, when(date(2024, 2, 1)))] == [ContactRecorded]


def test_a_did_not_attend_is_recorded_but_does_not_make_the_case_contacted(open_case, when, then):
    case, history = open_case()
    events = contact(case, when(date(2024, 1, 10)), attended=False)
    assert [type(e) for e in events] == [ContactRecorded]
    case, _ = then(case, history, events)
    assert case.status is CaseStatus.ALLOCATED and case.attended_contacts_count == 0


def test_the_contact_date_is_the_newcastle_date_of_the_instant(open_case):
    case, _ = open_case()
    late_evening_utc = datetime(2024, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in BST
    events = contact(case, late_evening_utc)
    assert events[1].contacted_on == date(2024, 7, 1)


def test_every_bad_contact_field_is_listed(open_case):
    case, _ = open_case()
    with pytest.raises(ValidationFailed) as err:
        contact(
            case,
            datetime(2024, 1, 10, 10),
            mode="carrier_pigeon",
            duration_minutes=601,
            venue="the moon",
            attended="yes",
        )
    assert set(err.value.fields) == {"occurred_at", "mode", "duration_minutes", "venue", "attended"}


@pytest.mark.parametrize("minutes, attended", [(1, True), (600, True), (0, False), (600, False)])
def test_attended_contacts_last_one_to_six_hundred_minutes_and_a_did_not_attend_may_be_zero(
    open_case, when, minutes, attended
):
    case, _ = open_case()
    recorded = contact(case, when(date(2024, 1, 10)), duration_minutes=minutes, attended=attended)
    assert recorded[0].duration_minutes == minutes


def test_an_attended_contact_of_zero_minutes_is_refused(open_case, when):
    case, _ = open_case()
    with pytest.raises(ValidationFailed, match="duration_minutes"):
        contact(case, when(date(2024, 1, 10)), duration_minutes=0)


@pytest.mark.parametrize("minutes", [-1, 601, 15.5, True])
def test_contact_durations_outside_zero_to_six_hundred_whole_minutes_are_refused(open_case, when, minutes):
    case, _ = open_case()
    with pytest.raises(ValidationFailed, match="duration_minutes"):
        contact(case, when(date(2024, 1, 10)), duration_minutes=minutes)


def test_a_contact_in_the_future_is_refused(open_case):
    case, _ = open_case()
    with pytest.raises(ValidationFailed, match="future"):
        contact(case, datetime(2024, 9, 2, 14, tzinfo=timezone(timedelta(hours=1))) + timedelta(hours=2))


def test_a_contact_before_the_case_opened_is_refused(open_case, when):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="before the case opened"):
        contact(case, when(date(2024, 1, 7)))


def test_the_same_contact_id_cannot_be_recorded_twice(open_case, when, then):
    case, history = open_case()
    events = contact(case, when(date(2024, 1, 10)))
    case, _ = then(case, history, events)
    with pytest.raises(InvalidCommand, match="already recorded"):
        case.record_contact(
            events[0].contact_id,
            occurred_at=when(date(2024, 1, 11)),
            mode="text",
            duration_minutes=1,
            attended=True,
            now=datetime(2024, 9, 2, tzinfo=UTC),
        )


def test_a_failed_attempt_is_recorded_without_its_note(open_case, when):
    case, _ = open_case()
    [failed] = case.record_failed_attempt(
        uuid.uuid4(), occurred_at=when(FIRST_ATTEMPT), note="left voicemail", now=datetime(2024, 9, 2, tzinfo=UTC)
    )
    assert isinstance(failed, ContactAttemptFailed) and "voicemail" not in failed.model_dump_json()


def test_every_bad_failed_attempt_field_is_listed(open_case):
    case, _ = open_case()
    with pytest.raises(ValidationFailed) as err:
        case.record_failed_attempt(
            uuid.uuid4(), occurred_at=datetime(2024, 2, 1, 10), note="x" * 2001, now=datetime(2024, 9, 2, tzinfo=UTC)
        )
    assert set(err.value.fields) == {"occurred_at", "note"}


def test_third_failed_attempt_within_four_weeks_does_not_make_case_unable_to_contact(open_case, when, then):
    case, _history, last = attempts_on(*open_case(), then, when, [0, 14, 27])
    assert [type(e) for e in last] == [ContactAttemptFailed]
    assert case.status is CaseStatus.ALLOCATED


def test_third_failed_attempt_twenty_eight_days_after_the_first_makes_case_unable_to_contact(open_case, when, then):
    case, history, last = attempts_on(*open_case(), then, when, [0, 14, 28])
    assert [type(e) for e in last] == [ContactAttemptFailed, UnableToContact]
    assert (last[1].on, last[1].first_attempt_on, last[1].attempts_count) == (date(2024, 2, 29), FIRST_ATTEMPT, 3)
    case, _ = then(case, history, [])
    assert case.status is CaseStatus.UNABLE_TO_CONTACT and case.is_closed


def test_a_fourth_attempt_that_stretches_the_window_to_four_weeks_ends_the_case(open_case, when, then):
    _case, _history, last = attempts_on(*open_case(), then, when, [0, 5, 10, 30])
    assert isinstance(last[-1], UnableToContact) and last[-1].attempts_count == 4


def test_two_attempts_however_far_apart_do_not_end_the_case(open_case, when, then):
    _case, _, last = attempts_on(*open_case(), then, when, [0, 60])
    assert [type(e) for e in last] == [ContactAttemptFailed]


def test_a_did_not_attend_counts_as_a_failed_attempt(open_case, when, then):
    case, _history, _ = attempts_on(*open_case(), then, when, [0, 14])
    events = contact(case, when(FIRST_ATTEMPT + timedelta(days=28)), attended=False)
    assert [type(e) for e in events] == [ContactRecorded, UnableToContact]


def test_failed_attempts_after_a_successful_contact_never_end_the_case(contacted_case, when, then):
    case, _history, last = attempts_on(*contacted_case(), then, when, [0, 14, 28, 40])
    assert [type(e) for e in last] == [ContactAttemptFailed]
    assert case.status is CaseStatus.CONTACTED


def test_a_case_unable_to_contact_is_closed_to_every_further_contact(open_case, when, then):
    case, _history, _last = attempts_on(*open_case(), then, when, [0, 14, 28])
    with pytest.raises(CaseClosed):
        contact(case, when(date(2024, 3, 5)))
    with pytest.raises(CaseClosed):
        attempt(case, when(date(2024, 3, 5)))


def test_the_window_counts_calendar_days_between_first_and_last_attempt():
    d = date(2024, 2, 1)
    assert unable_to_contact_window([d, d + timedelta(days=27), d + timedelta(days=1)]) is None
    assert unable_to_contact_window([d + timedelta(days=28), d, d + timedelta(days=1)]) == (d, d + timedelta(28))
