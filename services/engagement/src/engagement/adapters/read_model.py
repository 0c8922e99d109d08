"""The `cases` read model (rewritten from the folded state on every change) and the case texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from contracts.casework import ConsentKind
from engagement.domain import (
    Case,
    current_consent,
    extended_until,
    first_contact_due,
    first_contact_on,
    highest_open_risk,
    limit_date,
    next_step_due_on,
    open_concerns,
    review_due_on,
)

_COLUMNS = (
    "case_id",
    "version",
    "patient_id",
    "provider_id",
    "link_worker_id",
    "practice_ods_code",
    "status",
    "opened_on",
    "contacted_on",
    "engaged_on",
    "closed_on",
    "review_due_on",
    "limit_on",
    "extended_until",
    "is_open",
    "first_contact_due_on",
    "first_contact_on",
    "service_consent",
    "outcome_sharing_consent",
    "open_safeguarding_concerns",
    "highest_open_risk",
    "next_step_due_on",
)


def project(cur, case: Case) -> None:
    """Upsert the case's row from its state."""
    row = (
        case.case_id,
        case.version,
        case.patient_id,
        case.provider_id,
        case.link_worker_id,
        case.practice_ods_code,
        case.status.value,
        case.opened_on,
        case.contacted_on,
        case.engaged_on,
        case.discharged_on or case.unable_to_contact_on,
        review_due_on(case),
        limit_date(case),
        extended_until(case),
        case.is_open,
        first_contact_due(case),
        first_contact_on(case),
        _consent_state(case, ConsentKind.SERVICE),
        _consent_state(case, ConsentKind.SHARE_OUTCOMES_WITH_GP),
        len(open_concerns(case)),
        None if (risk := highest_open_risk(case)) is None else risk.value,
        next_step_due_on(case),
    )
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:])
    cur.execute(
        f"INSERT INTO cases ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
        f" ON CONFLICT (case_id) DO UPDATE SET {updates}",
        row,
    )
    for concern in case.concerns:
        _project_concern(cur, case, concern)


def _consent_state(case: Case, kind: ConsentKind) -> str | None:
    latest = current_consent(case, kind)
    return None if latest is None else latest.state.value


_CONCERN_COLUMNS = (
    "concern_id",
    "case_id",
    "patient_id",
    "provider_id",
    "link_worker_id",
    "category",
    "risk_level",
    "immediate_action_taken",
    "raised_on",
    "escalations",
    "last_escalated_on",
    "last_escalated_to",
    "closed_on",
    "outcome",
    "is_open",
)


def _project_concern(cur, case: Case, c) -> None:
    """A concern's row (codes and dates), with the case's current holder."""
    last = c.escalations[-1] if c.escalations else None
    row = (
        c.concern_id,
        case.case_id,
        case.patient_id,
        case.provider_id,
        case.link_worker_id,
        c.category.value,
        c.risk_level.value,
        c.immediate_action_taken,
        c.raised_on,
        len(c.escalations),
        None if last is None else last.on,
        None if last is None else last.to.value,
        c.closed_on,
        None if c.outcome is None else c.outcome.value,
        c.is_open,
    )
    updates = ", ".join(f"{col} = EXCLUDED.{col}" for col in _CONCERN_COLUMNS[1:])
    cur.execute(
        f"INSERT INTO safeguarding_concerns ({', '.join(_CONCERN_COLUMNS)})"
        f" VALUES ({', '.join(['%s'] * len(_CONCERN_COLUMNS))}) ON CONFLICT (concern_id) DO UPDATE SET {updates}",
        row,
    )


@dataclass(frozen=True)
class ConcernFilter:
    is_open: bool | None
    provider_id: UUID | None = None
    link_worker_id: UUID | None = None


_RISK_RANK = "array_position(ARRAY['low','medium','high','immediate'], risk_level)"


def list_concerns(cur, f: ConcernFilter, *, page: int, page_size: int) -> tuple[int, list[dict]]:
    """Concerns in scope, highest risk first, then the oldest raised."""
    clauses, params = ["TRUE"], []
    for column, value in (("is_open", f.is_open), ("provider_id", f.provider_id), ("link_worker_id", f.link_worker_id)):
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    where = " AND ".join(clauses)
    cur.execute(f"SELECT count(*) FROM safeguarding_concerns WHERE {where}", params)
    total = cur.fetchone()[0]
    cur.execute(
        f"SELECT {', '.join(_CONCERN_COLUMNS)} FROM safeguarding_concerns WHERE {where}"
        f" ORDER BY {_RISK_RANK} DESC, raised_on, concern_id LIMIT %s OFFSET %s",
        [*params, page_size, (page - 1) * page_size],
    )
    return total, [dict(zip(_CONCERN_COLUMNS, row, strict=True)) for row in cur.fetchall()]


@dataclass(frozen=True)
class CaseFilter:
    today: date
    link_worker_id: UUID | None = None
    provider_id: UUID | None = None
    status: str | None = None
    due_for_review: bool | None = None
    past_limit: bool | None = None
    first_contact: str | None = None  # "due" (not made, due today or later) | "overdue" (due day passed)
    safeguarding: str | None = None  # "open": at least one open safeguarding concern


def _where(f: CaseFilter) -> tuple[str, list]:
    clauses: list[str] = ["TRUE"]
    params: list[object] = []
    for column, value in (("link_worker_id", f.link_worker_id), ("provider_id", f.provider_id), ("status", f.status)):
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    if f.due_for_review is not None:
        clauses.append(("" if f.due_for_review else "NOT ") + "coalesce(review_due_on <= %s, FALSE)")
        params.append(f.today)
    if f.past_limit is not None:
        clauses.append(
            ("" if f.past_limit else "NOT ")
            # a limit decision is due (contracts.time_limit.decision_due): from the limit day, and on the
            # latest review date, until an extension reaches past today
            + "(is_open AND %s >= greatest(limit_on, coalesce(extended_until, limit_on)))"
        )
        params.append(f.today)
    if f.first_contact is not None:  # the first-contact deadline (domain.first_contact)
        compare = "<=" if f.first_contact == "due" else ">"
        clauses.append(f"(is_open AND first_contact_on IS NULL AND %s {compare} first_contact_due_on)")
        params.append(f.today)
    if f.safeguarding == "open":
        clauses.append("open_safeguarding_concerns > 0")
    return " AND ".join(clauses), params


def list_cases(cur, f: CaseFilter, *, page: int, page_size: int) -> tuple[int, list[dict]]:
    where, params = _where(f)
    cur.execute(f"SELECT count(*) FROM cases WHERE {where}", params)
    total = cur.fetchone()[0]
    cur.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM cases WHERE {where} ORDER BY opened_on, case_id LIMIT %s OFFSET %s",
        [*params, page_size, (page - 1) * page_size],
    )
    return total, [dict(zip(_COLUMNS, row, strict=True)) for row in cur.fetchall()]
