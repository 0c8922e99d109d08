"""Keeping the materialised ledger (domain/projection.py) up to date, in the transaction that applies
the events (the consumer's batch, an upload, the rebuild's batches).

Only the units an input can change are recomputed, each from the earliest `recorded_at` among its new
inputs (a late event, recorded before versions already stored, recomputes the unit's versions from
its `recorded_at` on):
- a ledger fact of case K: the case K (its W lines, exceptions and cohort membership);
- then every cohort whose membership changed from that moment (the cohort the case left, the one it
  joined), an activity row: every cohort its patient was ever a member of, a comparison cost for
  quarter Q: every cohort that measures Q.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from contracts import Envelope
from reporting.adapters import ledger_store
from reporting.adapters.fact_store import LEDGER_FACT_TYPES
from reporting.domain import Quarter, Rulebook
from reporting.domain.outcome_s import measured_quarters
from reporting.domain.projection import (
    MEMBERSHIP,
    Version,
    case_snapshots,
    cohort_snapshots,
    cohorts_measuring,
    member_from_record,
    merge_versions,
)
from reporting.domain.rulebook import covered

_LEDGER_FACTS = frozenset(LEDGER_FACT_TYPES)


def refresh(cur: Any, rulebooks: Sequence[Rulebook], events: Sequence[tuple[Envelope, Any]]) -> None:
    """Recompute the units these (already applied) events can change."""
    cases: dict[str, datetime] = {}
    patients: dict[Any, datetime] = {}
    quarters: dict[Quarter, datetime] = {}
    for env, payload in events:
        if payload is None:
            continue
        if env.event_type in _LEDGER_FACTS:
            _earliest(cases, env.aggregate_id, env.recorded_at)
        elif env.event_type == "HospitalActivityUploaded":
            for row in payload.rows:
                _earliest(patients, row.patient_id, env.recorded_at)
        elif env.event_type == "ComparisonCostsUploaded":
            for cost in payload.costs:
                _earliest(quarters, Quarter.parse(cost.quarter), env.recorded_at)
    if not (cases or patients or quarters):
        return
    ledger_store.lock(cur)
    cohorts: dict[Quarter, datetime] = {}
    for cohort, since in refresh_cases(cur, rulebooks, cases).items():
        _earliest(cohorts, cohort, since)
    for patient_id, member_of in ledger_store.cohorts_of_patients(cur, patients).items():
        for cohort in member_of:
            _earliest(cohorts, cohort, patients[patient_id])
    if quarters:
        known = ledger_store.all_cohorts(cur)
        for quarter, since in quarters.items():
            for cohort in cohorts_measuring(quarter, known, rulebooks):
                _earliest(cohorts, cohort, since)
    for cohort, since in sorted(cohorts.items()):
        refresh_cohort(cur, rulebooks, cohort, since)


def refresh_cases(cur: Any, rulebooks: Sequence[Rulebook], cases: dict[str, datetime]) -> dict[Quarter, datetime]:
    """Recompute these cases' versions, each from its `since` on, with a handful of statements for
    them all; returns the cohorts whose membership may have changed, each from when."""
    facts = ledger_store.case_facts(cur, sorted(cases))
    units = {f"case|{case_id}": since for case_id, since in cases.items()}
    stored_lines = ledger_store.line_versions_of(cur, units)
    stored_members = ledger_store.member_versions_of(cur, cases)
    new_lines: dict[str, list[Version]] = {}
    new_members: dict[str, list[Version]] = {}
    changed: dict[Quarter, datetime] = {}
    for case_id, since in sorted(cases.items()):
        snapshots = case_snapshots(case_id, facts[case_id], rulebooks, since)
        lines = [(t, {k: v for k, v in items.items() if k != MEMBERSHIP}) for t, items in snapshots]
        members = [(t, {k: v for k, v in items.items() if k == MEMBERSHIP}) for t, items in snapshots]
        unit = f"case|{case_id}"
        new_lines[unit] = merge_versions(stored_lines[unit], lines, since)
        before = stored_members[case_id]
        after = new_members[case_id] = merge_versions(before, members, since)
        if before != after:
            for v in [*before, *after]:
                if v.valid_to is None or v.valid_to >= since:
                    _earliest(changed, member_from_record(v.record)[0], since)
    ledger_store.replace_lines_of(cur, units, new_lines)
    ledger_store.replace_members_of(cur, cases, new_members)
    return changed


def refresh_cohort(cur: Any, rulebooks: Sequence[Rulebook], cohort: Quarter, since: datetime) -> None:
    members = ledger_store.cohort_member_versions(cur, cohort)
    measured = measured_quarters(cohort, rulebooks) if covered(cohort.first_day, rulebooks) else []
    activity = ledger_store.activity_of(cur, {v.member.patient_id for v in members}, measured)
    costs = ledger_store.costs_for(cur, measured)
    snapshots = cohort_snapshots(cohort, members, activity, costs, rulebooks, since)
    unit = f"cohort|{cohort}"
    ledger_store.replace_line_versions(
        cur, unit, since, merge_versions(ledger_store.line_versions(cur, unit, since), snapshots, since)
    )


def refresh_everything(cur: Any, rulebooks: Sequence[Rulebook]) -> None:
    """Recompute every unit from the beginning (a database whose inputs predate the projection)."""
    cur.execute("TRUNCATE ledger_lines, cohort_members")
    cur.execute("SELECT DISTINCT case_id FROM facts WHERE event_type = ANY(%s)", (LEDGER_FACT_TYPES,))
    case_ids = sorted(r[0] for r in cur.fetchall())
    beginning = datetime.min.replace(tzinfo=UTC)
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        refresh_cases(cur, rulebooks, dict.fromkeys(chunk, beginning))
    for cohort in sorted(ledger_store.all_cohorts(cur)):
        refresh_cohort(cur, rulebooks, cohort, beginning)
    ledger_store.mark_lines_ready(cur)


def _earliest(found: dict[Any, datetime], key: Any, moment: datetime) -> None:
    if key not in found or moment < found[key]:
        found[key] = moment
