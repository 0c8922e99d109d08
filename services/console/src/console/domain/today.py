"""A link worker's "what needs me today" (issue 19): one list across the caseload, each item naming its
case, what is due, by when and whether it is overdue. Pure: built from the engagement API's answers
(`GET /cases` rows and `GET /caseload/attention`) and "today" passed in.

The rules, each at its boundary:
- first contact: not made yet; due up to and on its deadline day, overdue from the day after;
- Well-being Star review: listed from REVIEW_NOTICE_DAYS before its date, overdue from the day after;
- two-year limit: without an extension, listed from LIMIT_NOTICE_DAYS before the limit (the first day
  past it), overdue (a decision is due) on and after it; with one, when its review date has come;
- linkages still "suggested" or "referred" more than STALE_LINKAGE_DAYS after they took that status;
- goals past their target date and open action steps past their due date (overdue from the day after);
- open safeguarding concerns;
- no attended contact yet and at least one failed attempt: how many attempts, and from which day a
  further failed attempt would close the case as unable to contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

REVIEW_NOTICE_DAYS = 14
LIMIT_NOTICE_DAYS = 60
STALE_LINKAGE_DAYS = 14
WAITING_LINKAGE = frozenset({"suggested", "referred"})


class Kind(StrEnum):
    SAFEGUARDING = "safeguarding"
    FIRST_CONTACT = "first_contact"
    UNABLE_TO_CONTACT = "unable_to_contact"
    STAR_REVIEW = "star_review"
    TIME_LIMIT = "time_limit"
    LINKAGE = "linkage"
    GOAL = "goal"
    ACTION_STEP = "action_step"


@dataclass(frozen=True)
class Item:
    case_id: str
    kind: Kind
    what: str  # in words, e.g. "First contact"
    detail: str  # e.g. "due by 4 June 2024 (today)"
    due_on: date | None
    overdue: bool


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _when(due: date, today: date) -> str:
    """ "today", "tomorrow", "in 3 days", "1 day ago", "5 days ago"."""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return f"{-days} day{'s' if days != -1 else ''} ago"


def todays_list(rows: Iterable[Mapping[str, Any]], attention: Mapping[str, Any] | None, today: date) -> list[Item]:
    """Every item across the caseload: overdue first (the longest overdue first), then by date."""
    items: list[Item] = []
    for row in rows:
        if row.get("is_open", True):
            items += _from_row(row, today)
    if attention is not None:
        rule = attention.get("unable_to_contact_rule") or {"attempts_needed": 3, "window_days": 28}
        for case in attention.get("items", []):
            items += _from_attention(case, rule, today)
    return sorted(items, key=_order)


def _order(item: Item) -> tuple[int, date, str, str]:
    return (0 if item.overdue else 1, item.due_on or date.max, item.kind.value, item.case_id)


def _from_row(row: Mapping[str, Any], today: date) -> list[Item]:
    case_id = str(row["case_id"])
    out: list[Item] = []
    concerns = int(row.get("open_safeguarding_concerns") or 0)
    if concerns:
        risk = row.get("highest_open_risk")
        words = f"{concerns} open concern{'s' if concerns != 1 else ''}" + (f", highest risk {risk}" if risk else "")
        out.append(Item(case_id, Kind.SAFEGUARDING, "Safeguarding", words, None, False))
    first_due = _day(row.get("first_contact_due_on"))
    if first_due is not None and _day(row.get("first_contact_on")) is None:
        overdue = today > first_due
        out.append(
            Item(
                case_id,
                Kind.FIRST_CONTACT,
                "First contact",
                f"{'was due' if overdue else 'due'} by {long_date(first_due)} ({_when(first_due, today)})",
                first_due,
                overdue,
            )
        )
    review = _day(row.get("review_due_on"))
    if review is not None and today >= review - timedelta(days=REVIEW_NOTICE_DAYS):
        overdue = today > review
        out.append(
            Item(
                case_id,
                Kind.STAR_REVIEW,
                "Well-being Star review",
                f"{'was due' if overdue else 'due'} on {long_date(review)} ({_when(review, today)})",
                review,
                overdue,
            )
        )
    out += _time_limit(case_id, _day(row.get("limit_on")), _day(row.get("extended_until")), today)
    return out


def _time_limit(case_id: str, limit_on: date | None, extended_until: date | None, today: date) -> list[Item]:
    """`limit_on` is the first day past the two-year limit; an extension's review date is covered."""
    if limit_on is None:
        return []
    if extended_until is not None and extended_until >= limit_on:
        if today < extended_until:
            return []
        detail = f"the extension's review date was {long_date(extended_until)}: extend again or discharge"
        return [Item(case_id, Kind.TIME_LIMIT, "Two-year limit", detail, extended_until, today > extended_until)]
    if (limit_on - today).days > LIMIT_NOTICE_DAYS:
        return []
    if today >= limit_on:
        detail = f"reached on {long_date(limit_on)} ({_when(limit_on, today)}) with no extension: extend or discharge"
        return [Item(case_id, Kind.TIME_LIMIT, "Two-year limit", detail, limit_on, True)]
    detail = f"reached on {long_date(limit_on)} ({_when(limit_on, today)}); no extension"
    return [Item(case_id, Kind.TIME_LIMIT, "Two-year limit", detail, limit_on, False)]


def _from_attention(case: Mapping[str, Any], rule: Mapping[str, Any], today: date) -> list[Item]:
    case_id = str(case["case_id"])
    out: list[Item] = []
    attempts = case.get("attempts") or {}
    failed = int(attempts.get("failed") or 0)
    first_failed = _day(attempts.get("first_failed_on"))
    if failed and not attempts.get("attended_contacts") and first_failed is not None:
        needed, window = int(rule["attempts_needed"]), int(rule["window_days"])
        from_day = first_failed + timedelta(days=window)
        left = max(needed - failed, 1)
        detail = (
            f"{failed} failed attempt{'s' if failed != 1 else ''} since {long_date(first_failed)}, no contact yet: "
            f"{left} more failed attempt{'s' if left != 1 else ''} on or after {long_date(from_day)} "
            "would close the case as unable to contact"
        )
        out.append(Item(case_id, Kind.UNABLE_TO_CONTACT, "Unable-to-contact rule", detail, from_day, False))
    for goal in case.get("goals") or []:
        target = _day(goal.get("target_date"))
        if goal.get("is_open") and target is not None and today > target:
            detail = f"target date {long_date(target)} ({_when(target, today)}) has passed"
            out.append(Item(case_id, Kind.GOAL, "Goal", detail, target, True))
    for step in case.get("steps") or []:
        due = _day(step.get("due_on"))
        if due is not None and today > due:
            detail = f"was due on {long_date(due)} ({_when(due, today)})"
            out.append(Item(case_id, Kind.ACTION_STEP, "Action step", detail, due, True))
    for linkage in case.get("linkages") or []:
        since = _day(linkage.get("since"))
        if linkage.get("status") in WAITING_LINKAGE and since is not None:
            waited = (today - since).days
            if waited > STALE_LINKAGE_DAYS:
                name = linkage.get("service_name") or "a service"
                detail = f"{name}: still {linkage['status']}, {waited} days since {long_date(since)}"
                stale_from = since + timedelta(days=STALE_LINKAGE_DAYS + 1)
                out.append(Item(case_id, Kind.LINKAGE, "Linkage to follow up", detail, stale_from, True))
    return out


def by_case(items: Iterable[Item]) -> dict[str, list[Item]]:
    grouped: dict[str, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.case_id, []).append(item)
    return grouped
