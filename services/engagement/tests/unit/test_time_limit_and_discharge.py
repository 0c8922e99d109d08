import uuid
from datetime import UTC, date, datetime

import pytest

from contracts.engagement import CaseDischarged, CaseDischargeReason, CaseExtended
from engagement.domain import (
    Case,
    CaseClosed,
    CaseStatus,
    InvalidCommand,
    ValidationFailed,
    is_past_limit,
    limit_date,
)

OPENED_ON = date(2024, 1, 8)
TWO_YEARS_ON = date(2026, 1, 8)
NOW = datetime(2024, 9, 2, 12, tzinfo=UTC)
TODAY = date(2024, 9, 2)


def test_a_case_is_not_past_its_limit_the_day_before_two_years(engaged_case):
    case, _ = engaged_case()
    assert limit_date(case) == TWO_YEARS_ON
    assert not is_past_limit(case, date(2026, 1, 7))


def test_a_case_is_past_its_limit_on_the_second_anniversary_of_opening(engaged_case):
    case, _ = engaged_case()
    assert is_past_limit(case, TWO_YEARS_ON)


def test_a_case_opened_on_29_february_reaches_its_limit_on_28_february(open_case):
    case, _ = open_case(allocated_on=date(2024, 2, 29))
    assert limit_date(case) == date(2026, 2, 28)


def test_an_extension_covers_the_case_until_its_review_date(engaged_case, then):
    case, history = engaged_case()
    [extended] = case.extend(reason="Still building confidence", review_on=date(2026, 7, 1), today=date(2026, 1, 5))
    assert isinstance(extended, CaseExtended) and extended.extended_on == date(2026, 1, 5)
    assert "confidence" not in extended.model_dump_json()
    case, history = then(case, history, [extended])
    assert not is_past_limit(case, TWO_YEARS_ON)
    assert not is_past_limit(case, date(2026, 6, 30))
    assert is_past_limit(case, date(2026, 7, 1))


def test_a_second_extension_covers_the_case_again(engaged_case, then):
    case, history = engaged_case()
    case, history = then(case, history, case.extend(reason="a", review_on=date(2026, 7, 1), today=date(2026, 1, 5)))
    case, history = then(case, history, case.extend(reason="b", review_on=date(2027, 1, 1), today=date(2026, 7, 1)))
    assert not is_past_limit(case, date(2026, 12, 31)) and is_past_limit(case, date(2027, 1, 1))


@pytest.mark.parametrize("review_on", [date(2026, 1, 5), date(2025, 12, 1)])
def test_an_extension_review_date_must_be_after_today(engaged_case, review_on):
    case, _ = engaged_case()
    with pytest.raises(ValidationFailed, match="review_on"):
        case.extend(reason="x", review_on=review_on, today=date(2026, 1, 5))


def test_an_extension_needs_a_reason(engaged_case):
    case, _ = engaged_case()
    with pytest.raises(ValidationFailed, match="reason"):
        case.extend(reason="", review_on=date(2026, 7, 1), today=date(2026, 1, 5))


def test_a_discharged_case_is_not_past_its_limit(engaged_case, then):
    case, history = engaged_case()
    case, _ = then(case, history, case.discharge("self_managing", discharged_on=TODAY, today=TODAY))
    assert not is_past_limit(case, date(2030, 1, 1))


def test_discharge_records_the_reason_date_and_counts(engaged_case, scores, then, when):
    case, history = engaged_case()
    case, history = then(
        case,
        history,
        case.record_contact(
            uuid.uuid4(),
            occurred_at=when(date(2024, 3, 1)),
            mode="telephone",
            duration_minutes=10,
            attended=False,
            now=NOW,
        ),
    )
    case, history = then(
        case, history, case.record_star(uuid.uuid4(), taken_on=date(2024, 7, 1), scores=scores, today=TODAY)
    )
    [discharged] = case.discharge("goals_met", discharged_on=TODAY, today=TODAY)
    assert isinstance(discharged, CaseDischarged)
    assert (discharged.reason, discharged.discharged_on) == (CaseDischargeReason.GOALS_MET, TODAY)
    assert (discharged.contacts_count, discharged.stars_count) == (1, 2)  # the DNA is not a contact
    case, _ = then(case, history, [discharged])
    assert case.status is CaseStatus.DISCHARGED and case.is_closed


def test_voided_stars_are_not_counted_at_discharge(engaged_case, then):
    case, history = engaged_case()
    case, history = then(case, history, case.void_star(case.stars[0].star_id, reason="x", today=TODAY))
    assert case.discharge("other", discharged_on=TODAY, today=TODAY)[0].stars_count == 0


def test_a_case_can_be_discharged_before_any_contact(open_case):
    case, _ = open_case()
    [discharged] = case.discharge("moved_away", discharged_on=TODAY, today=TODAY)
    assert discharged.contacts_count == 0


def test_discharge_needs_a_known_reason_and_a_date_not_in_the_future(engaged_case):
    case, _ = engaged_case()
    with pytest.raises(ValidationFailed) as err:
        case.discharge("fed_up", discharged_on=date(2024, 9, 3), today=TODAY)
    assert set(err.value.fields) == {"reason", "discharged_on"}


def test_discharge_dated_before_the_last_recorded_activity_is_refused(engaged_case):
    case, _ = engaged_case(taken_on=date(2024, 2, 1))
    with pytest.raises(InvalidCommand, match="last thing recorded"):
        case.discharge("goals_met", discharged_on=date(2024, 1, 31), today=TODAY)


def closed_case(kind, engaged_case, open_case, then, when):
    if kind == "discharged":
        case, history = engaged_case()
        return then(case, history, case.discharge("deceased", discharged_on=TODAY, today=TODAY))[0]
    case, history = open_case()
    for day in (date(2024, 2, 1), date(2024, 2, 15), date(2024, 2, 29)):
        case, history = then(case, history, case.record_failed_attempt(uuid.uuid4(), occurred_at=when(day), now=NOW))
    assert case.status is CaseStatus.UNABLE_TO_CONTACT
    return case


COMMANDS = {
    "contact": lambda c, s: c.record_contact(
        uuid.uuid4(), occurred_at=NOW, mode="text", duration_minutes=1, attended=True, now=NOW
    ),
    "failed attempt": lambda c, s: c.record_failed_attempt(uuid.uuid4(), occurred_at=NOW, now=NOW),
    "star": lambda c, s: c.record_star(uuid.uuid4(), taken_on=TODAY, scores=s, today=TODAY),
    "goal": lambda c, s: c.agree_goal(uuid.uuid4(), description="x", star_areas=["money"], on=TODAY, today=TODAY),
    "goal update": lambda c, s: c.update_goal(uuid.uuid4(), "achieved", on=TODAY, today=TODAY),
    "linkage": lambda c, s: c.make_linkage(
        uuid.uuid4(), service_id=uuid.uuid4(), category="arts", known_services={}, on=TODAY, today=TODAY
    ),
    "linkage update": lambda c, s: c.update_linkage(uuid.uuid4(), "referred", on=TODAY, today=TODAY),
    "reassign": lambda c, s: c.reassign(uuid.uuid4(), link_worker_provider_id=c.provider_id, on=TODAY, today=TODAY),
    "extend": lambda c, s: c.extend(reason="x", review_on=date(2027, 1, 1), today=TODAY),
    "discharge": lambda c, s: c.discharge("other", discharged_on=TODAY, today=TODAY),
}


@pytest.mark.parametrize("kind", ["discharged", "unable_to_contact"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_closed_case_refuses_every_further_work(kind, command, engaged_case, open_case, then, when, scores):
    case = closed_case(kind, engaged_case, open_case, then, when)
    with pytest.raises(CaseClosed):
        COMMANDS[command](case, scores)


def test_a_command_on_a_case_that_never_opened_is_refused(scores):
    with pytest.raises(InvalidCommand, match="no case"):
        Case().discharge("other", discharged_on=TODAY, today=TODAY)
