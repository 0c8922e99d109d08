"""Reading the bitemporal store: facts, commissioner rows and closed claims, as known at a moment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from reporting.domain import ActivityRow, ActivityType, ComparisonCost, Fact, Quarter
from reporting.domain.hospital_activity_csv import ActivityKey

# The event types the ledger folds (episode.py); the others are kept for evidence and dashboards.
LEDGER_FACT_TYPES = [
    "CaseOpened",
    "CaseReassigned",
    "WellbeingStarRecorded",
    "WellbeingStarCorrected",
    "WellbeingStarVoided",
    "CaseEngaged",
    "CaseExtended",
    "CaseDischarged",
    "ReferralWithdrawn",  # the episode leaves the ledger from its recorded_at on (episode.py)
]

_FACT_COLUMNS = "event_id, event_type, schema_version, case_id, occurred_at, recorded_at, payload"


def _fact(row: tuple[Any, ...]) -> Fact:
    return Fact(
        event_id=row[0],
        event_type=row[1],
        schema_version=row[2],
        case_id=row[3],
        occurred_at=row[4],
        recorded_at=row[5],
        payload=row[6],
    )


def ledger_facts(cur: Any, known_at: datetime) -> list[Fact]:
    """The facts the ledger needs, recorded by `known_at`, each case's in recorded (then arrival) order."""
    cur.execute(
        f"SELECT {_FACT_COLUMNS} FROM facts WHERE event_type = ANY(%s) AND recorded_at <= %s"
        " ORDER BY case_id, recorded_at, seq",
        (LEDGER_FACT_TYPES, known_at),
    )
    return [_fact(row) for row in cur.fetchall()]


def activity_rows(cur: Any, known_at: datetime) -> list[ActivityRow]:
    cur.execute(
        "SELECT row_id, upload_id, line, patient_id, activity_type, activity_date, cost_pence, recorded_at"
        " FROM activity_rows WHERE recorded_at <= %s ORDER BY recorded_at, upload_id, line",
        (known_at,),
    )
    return [ActivityRow(r[0], r[1], r[2], r[3], ActivityType(r[4]), r[5], int(r[6]), r[7]) for r in cur.fetchall()]


def activity_counts(cur: Any, patient_ids: Iterable[UUID]) -> Counter[ActivityKey]:
    """How many stored activity rows there are per (patient, type, date, cost), for these patients."""
    cur.execute(
        "SELECT patient_id, activity_type, activity_date, cost_pence, count(*) FROM activity_rows"
        " WHERE patient_id = ANY(%s) GROUP BY 1, 2, 3, 4",
        (list(set(patient_ids)),),
    )
    return Counter({(r[0], ActivityType(r[1]), r[2], int(r[3])): int(r[4]) for r in cur.fetchall()})


def comparison_costs(cur: Any, known_at: datetime) -> list[ComparisonCost]:
    cur.execute(
        "SELECT row_id, upload_id, line, quarter, per_head_cost_pence, recorded_at FROM comparison_costs"
        " WHERE recorded_at <= %s ORDER BY recorded_at, upload_id, line",
        (known_at,),
    )
    return [ComparisonCost(r[0], r[1], r[2], Quarter.parse(r[3]), int(r[4]), r[5]) for r in cur.fetchall()]


def last_costed_quarter(cur: Any) -> Quarter | None:
    """The latest quarter any comparison cost is for (quarters like 2019Q2 sort as text)."""
    cur.execute("SELECT max(quarter) FROM comparison_costs")
    row = cur.fetchone()
    return None if row is None or row[0] is None else Quarter.parse(row[0])


def patients_for_pseudonyms(cur: Any, pseudonyms: Iterable[str]) -> dict[str, UUID]:
    cur.execute(
        "SELECT nhs_number_pseudonym, patient_id FROM patients WHERE nhs_number_pseudonym = ANY(%s)",
        (list(set(pseudonyms)),),
    )
    return {row[0]: row[1] for row in cur.fetchall()}


def evidence(cur: Any, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The facts and commissioner rows with these ids, in the order asked."""
    uuids = [UUID(i) for i in ids]
    found: dict[str, dict[str, Any]] = {}
    cur.execute(f"SELECT {_FACT_COLUMNS} FROM facts WHERE event_id = ANY(%s)", (uuids,))
    for r in cur.fetchall():
        found[str(r[0])] = {
            "id": str(r[0]),
            "kind": "event",
            "event_type": r[1],
            "schema_version": r[2],
            "case_id": r[3],
            "occurred_at": r[4].isoformat(),
            "recorded_at": r[5].isoformat(),
            "payload": r[6],
        }
    cur.execute(
        "SELECT row_id, upload_id, line, patient_id, activity_type, activity_date, cost_pence, recorded_at,"
        " event_id FROM activity_rows WHERE row_id = ANY(%s)",
        (uuids,),
    )
    for r in cur.fetchall():
        found[str(r[0])] = {
            "id": str(r[0]),
            "kind": "hospital_activity_row",
            "event_type": "HospitalActivityUploaded",
            "event_id": str(r[8]),
            "recorded_at": r[7].isoformat(),
            "payload": {
                "upload_id": str(r[1]),
                "line": r[2],
                "patient_id": str(r[3]),
                "activity_type": r[4],
                "activity_date": r[5].isoformat(),
                "cost_pence": int(r[6]),
            },
        }
    cur.execute(
        "SELECT row_id, upload_id, line, quarter, per_head_cost_pence, recorded_at, event_id"
        " FROM comparison_costs WHERE row_id = ANY(%s)",
        (uuids,),
    )
    for r in cur.fetchall():
        found[str(r[0])] = {
            "id": str(r[0]),
            "kind": "comparison_cost_row",
            "event_type": "ComparisonCostsUploaded",
            "event_id": str(r[6]),
            "recorded_at": r[5].isoformat(),
            "payload": {"upload_id": str(r[1]), "line": r[2], "quarter": r[3], "per_head_cost_pence": int(r[4])},
        }
    return [found[i] for i in ids if i in found]


def claim_documents(cur: Any) -> list[bytes]:
    cur.execute("SELECT document FROM claims ORDER BY period")
    return [bytes(row[0]) for row in cur.fetchall()]


def claim_document(cur: Any, period: str) -> bytes | None:
    cur.execute("SELECT document FROM claims WHERE period = %s", (period,))
    row = cur.fetchone()
    return None if row is None else bytes(row[0])


def store_claim(cur: Any, period: str, closed_at: datetime, document: bytes, sha256: str, event_id: UUID) -> None:
    cur.execute(
        "INSERT INTO claims (period, closed_at, document, document_sha256, event_id) VALUES (%s, %s, %s, %s, %s)",
        (period, closed_at, document, sha256, event_id),
    )


def ledger_inputs_state(cur: Any) -> tuple[str, int, datetime | None]:
    """(generation, version, newest recorded_at among the ledger's inputs): see `ledger_inputs` in schema.sql."""
    cur.execute("SELECT generation, version, latest_recorded_at FROM ledger_inputs")
    row = cur.fetchone()
    return str(row[0]), int(row[1]), row[2]


def claim_summaries(cur: Any) -> list[dict[str, Any]]:
    """Each closed claim's period, closed_at, totals and line counts (from its stored document), newest first."""
    cur.execute(
        """
        SELECT period, closed_at, doc -> 'totals', jsonb_array_length(doc -> 'lines'),
               jsonb_array_length(doc -> 'adjustments')
          FROM (SELECT period, closed_at, convert_from(document, 'UTF8')::jsonb AS doc FROM claims) AS c
         ORDER BY period DESC
        """
    )
    return [
        {"period": r[0], "closed_at": r[1], "totals": r[2], "lines_count": r[3], "adjustments_count": r[4]}
        for r in cur.fetchall()
    ]


def record_upload(
    cur: Any,
    upload_id: UUID,
    kind: str,
    recorded_at: datetime,
    counts: tuple[int, int, int],
    quarters: Sequence[str] | None,
) -> None:
    """An accepted upload's summary (counts only, no rows, no NHS numbers), in the upload's transaction."""
    applied, unknown, resent = counts
    cur.execute(
        "INSERT INTO commissioner_uploads (upload_id, kind, recorded_at, rows_applied, rows_unknown_nhs_number,"
        " rows_already_uploaded, quarters) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (upload_id, kind, recorded_at, applied, unknown, resent, list(quarters) if quarters is not None else None),
    )


def uploads(cur: Any) -> list[dict[str, Any]]:
    """Every accepted upload's summary, newest first."""
    cur.execute(
        "SELECT upload_id, kind, recorded_at, rows_applied, rows_unknown_nhs_number, rows_already_uploaded, quarters"
        " FROM commissioner_uploads ORDER BY recorded_at DESC, seq DESC"
    )
    return [
        {
            "upload_id": r[0],
            "kind": r[1],
            "recorded_at": r[2],
            "rows_applied": r[3],
            "rows_unknown_nhs_number": r[4],
            "rows_already_uploaded": r[5],
            "quarters": r[6],
        }
        for r in cur.fetchall()
    ]
