"""The `cases` read model (rewritten from the folded state on every change) and the case texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from engagement.domain import Case, extended_until, first_contact_due, first_contact_on, limit_date, review_due_on

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
    )
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:])
    cur.execute(
        f"INSERT INTO cases ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
        f" ON CONFLICT (case_id) DO UPDATE SET {updates}",
        row,
    )


@dataclass(frozen=True)
class CaseFilter:
    today: date
    link_worker_id: UUID | None = None
    provider_id: UUID | None = None
    status: str | None = None
    due_for_review: bool | None = None
    past_limit: bool | None = None
    first_contact: str | None = None  # "due" (not made, due today or later) | "overdue" (due day passed)


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


def add_text(
    cur, *, case_id: UUID, subject_id: UUID, kind: str, event_id: UUID, body: str, recorded_at: datetime
) -> None:
    """Keep the text, unless the case's patient has been erased (then it is not stored at all)."""
    cur.execute(
        "INSERT INTO case_texts (case_id, subject_id, kind, event_id, body, recorded_at)"
        " SELECT %s, %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM erased_patients e"
        " JOIN cases c ON c.patient_id = e.patient_id WHERE c.case_id = %s)",
        (case_id, subject_id, kind, event_id, body.strip(), recorded_at, case_id),
    )


def texts(cur, case_id: UUID) -> list[dict]:
    cur.execute(
        "SELECT subject_id, kind, event_id, body, recorded_at FROM case_texts WHERE case_id = %s ORDER BY id",
        (case_id,),
    )
    return [
        dict(zip(("subject_id", "kind", "event_id", "body", "recorded_at"), r, strict=True)) for r in cur.fetchall()
    ]


def erase_patient_texts(cur, patient_id: UUID, erased_at: datetime) -> int:
    """Delete the free text of every case of the patient (their right to erasure) and remember them, so
    none is kept again; how many rows went."""
    cur.execute(
        "INSERT INTO erased_patients (patient_id, erased_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
        (patient_id, erased_at),
    )
    cur.execute(
        "DELETE FROM case_texts WHERE case_id IN (SELECT case_id FROM cases WHERE patient_id = %s)", (patient_id,)
    )
    return cur.rowcount
