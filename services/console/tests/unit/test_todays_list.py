"""Today's list (`domain/today.py`) at its boundaries: a first contact due today and overdue by one day,
a Star review from 14 days before it is due, the two-year limit 60 and 61 days away and with an
extension, a linkage 14 and 15 days old, goals and steps past their date, safeguarding, and the
unable-to-contact rule; overdue first."""

from __future__ import annotations

from datetime import date, timedelta

from console.domain.today import Kind, todays_list

TODAY = date(2026, 3, 16)
RULE = {"attempts_needed": 3, "window_days": 28}


def row(case_id: str = "c1", **fields) -> dict:
    base = {
        "case_id": case_id,
        "is_open": True,
        "first_contact_due_on": None,
        "first_contact_on": None,
        "review_due_on": None,
        "limit_on": (TODAY + timedelta(days=400)).isoformat(),
        "extended_until": None,
        "open_safeguarding_concerns": 0,
        "highest_open_risk": None,
    }
    return base | fields


def kinds(rows, attention=None) -> list[tuple[str, Kind, bool]]:
    return [(i.case_id, i.kind, i.overdue) for i in todays_list(rows, attention, TODAY)]


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def test_a_first_contact_due_today_is_due_and_one_a_day_late_is_overdue():
    assert kinds([row(first_contact_due_on=day(0))]) == [("c1", Kind.FIRST_CONTACT, False)]
    assert kinds([row(first_contact_due_on=day(-1))]) == [("c1", Kind.FIRST_CONTACT, True)]
    [item] = todays_list([row(first_contact_due_on=day(-1))], None, TODAY)
    assert item.detail == "was due by 15 March 2026 (1 day ago)"


def test_a_first_contact_already_made_or_a_closed_case_is_not_listed():
    assert kinds([row(first_contact_due_on=day(-3), first_contact_on=day(-4))]) == []
    assert kinds([row(first_contact_due_on=day(-3), is_open=False)]) == []


def test_a_star_review_shows_from_fourteen_days_before_and_is_overdue_the_day_after():
    assert kinds([row(review_due_on=day(15))]) == []
    assert kinds([row(review_due_on=day(14))]) == [("c1", Kind.STAR_REVIEW, False)]
    assert kinds([row(review_due_on=day(0))]) == [("c1", Kind.STAR_REVIEW, False)]
    assert kinds([row(review_due_on=day(-1))]) == [("c1", Kind.STAR_REVIEW, True)]


def test_the_two_year_limit_is_listed_from_sixty_days_away_and_overdue_once_reached():
    assert kinds([row(limit_on=day(61))]) == []
    assert kinds([row(limit_on=day(60))]) == [("c1", Kind.TIME_LIMIT, False)]
    assert kinds([row(limit_on=day(1))]) == [("c1", Kind.TIME_LIMIT, False)]
    assert kinds([row(limit_on=day(0))]) == [("c1", Kind.TIME_LIMIT, True)]


def test_an_extension_hides_the_limit_until_its_review_date():
    assert kinds([row(limit_on=day(10), extended_until=day(100))]) == []
    assert kinds([row(limit_on=day(-100), extended_until=day(1))]) == []
    assert kinds([row(limit_on=day(-100), extended_until=day(0))]) == [("c1", Kind.TIME_LIMIT, False)]
    assert kinds([row(limit_on=day(-100), extended_until=day(-1))]) == [("c1", Kind.TIME_LIMIT, True)]


def test_open_safeguarding_concerns_are_listed_with_their_risk():
    [item] = todays_list([row(open_safeguarding_concerns=2, highest_open_risk="high")], None, TODAY)
    assert (item.kind, item.detail) == (Kind.SAFEGUARDING, "2 open concerns, highest risk high")


def attention(**case) -> dict:
    base = {
        "case_id": "c1",
        "attempts": {"failed": 0, "attended_contacts": 1},
        "goals": [],
        "steps": [],
        "linkages": [],
    }
    return {"today": TODAY.isoformat(), "unable_to_contact_rule": RULE, "items": [base | case]}


def test_a_linkage_left_suggested_or_referred_more_than_fourteen_days_is_listed():
    def linkage(status: str, since: int) -> dict:
        return attention(linkages=[{"status": status, "since": day(-since), "service_name": "Walking group"}])

    assert kinds([], linkage("suggested", 14)) == []
    assert kinds([], linkage("suggested", 15)) == [("c1", Kind.LINKAGE, True)]
    assert kinds([], linkage("referred", 30)) == [("c1", Kind.LINKAGE, True)]
    assert kinds([], linkage("attended", 30)) == []
    [item] = todays_list([], linkage("suggested", 15), TODAY)
    assert item.detail == "Walking group: still suggested, 15 days since 1 March 2026"


def test_goals_and_steps_are_listed_the_day_after_their_date():
    goals = [
        {"status": "agreed", "target_date": day(0), "is_open": True},
        {"status": "in_progress", "target_date": day(-1), "is_open": True},
        {"status": "achieved", "target_date": day(-9), "is_open": False},
        {"status": "agreed", "target_date": None, "is_open": True},
    ]
    steps = [{"due_on": day(0), "status": "planned"}, {"due_on": day(-1), "status": "in_progress"}]
    assert kinds([], attention(goals=goals, steps=steps)) == [
        ("c1", Kind.ACTION_STEP, True),
        ("c1", Kind.GOAL, True),
    ]


def test_failed_attempts_without_a_contact_show_when_the_rule_could_close_the_case():
    attempts = {"failed": 2, "first_failed_on": day(-10), "last_failed_on": day(-3), "attended_contacts": 0}
    [item] = todays_list([], attention(attempts=attempts), TODAY)
    assert item.kind is Kind.UNABLE_TO_CONTACT and item.due_on == TODAY + timedelta(days=18)
    assert (
        "2 failed attempts since 6 March 2026" in item.detail
        and "1 more failed attempt on or after 3 April" in item.detail
    )
    contacted = attempts | {"attended_contacts": 1}
    assert kinds([], attention(attempts=contacted)) == []


def test_overdue_things_come_first_the_longest_overdue_first_then_by_date():
    rows = [
        row("due-later", first_contact_due_on=day(2)),
        row("late-1", first_contact_due_on=day(-1)),
        row("late-5", review_due_on=day(-5)),
        row("due-today", first_contact_due_on=day(0)),
    ]
    assert [c for c, _, _ in kinds(rows)] == ["late-5", "late-1", "due-today", "due-later"]
