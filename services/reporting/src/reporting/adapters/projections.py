"""Applying events to reporting's tables: the bitemporal facts and the dashboard projections.

One function for the live consumer, the rebuild and the HTTP upload path, so the three can never
disagree. Statements are multi-row (see `apply_events`) but for Star corrections/voids and linkage
updates, applied one by one in order; the case folds (Stars, holders,
linkages, funnel stages) keep each key's Kafka order. Re-applying an event changes nothing (inserts
are keyed by id; the consumer records event ids in the same transaction anyway).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg2.extras

from contracts import Envelope
from contracts.calendar import local_date
from contracts.events import EventPayload
from contracts.patient_pseudonyms import PatientPseudonym, PseudonymForgotten

# Event types kept as facts (the ledger and the evidence endpoint read them).
REFERRAL_FACT_TYPES = frozenset(
    {
        "ReferralReceived",
        "ReferralAssessed",
        "ReferralAllocated",
        "ReferralStatusChanged",
        "ReferralDeclined",
        "ReferralClosed",
        "ReferralWithdrawn",
    }
)
ENGAGEMENT_FACT_TYPES = frozenset(
    {
        "CaseOpened",
        "CaseReassigned",
        "ContactRecorded",
        "ContactAttemptFailed",
        "CaseContacted",
        "UnableToContact",
        "GoalAgreed",
        "GoalUpdated",
        "WellbeingStarRecorded",
        "WellbeingStarCorrected",
        "WellbeingStarVoided",
        "CaseEngaged",
        "LinkageMade",
        "LinkageUpdated",
        "CaseExtended",
        "CaseDischarged",
        "CaseWithdrawn",
    }
)
FACT_TYPES = REFERRAL_FACT_TYPES | ENGAGEMENT_FACT_TYPES

# The tables rebuilt from the topics (claims and the service's own event store are not derived).
DERIVED_TABLES = (
    "facts",
    "patients",
    "erased_patients",
    "activity_rows",
    "comparison_costs",
    "referral_progress",
    "case_holders",
    "stars",
    "linkages",
    "ledger_lines",
    "cohort_members",
)


def apply_events(cur: Any, events: Sequence[tuple[Envelope, EventPayload | None]], *, copied: bool = False) -> None:
    """Apply events (in their per-key order) with the caller's cursor, in the caller's transaction.
    `copied`: the rebuild has already written these events' facts, activity rows, Stars and linkages
    with COPY (`adapters/bulk_copy.copy_inserts`), so they are not inserted again.

    Multi-row statements throughout: inserts keyed by id first (facts, pseudonyms, commissioner
    rows, Stars, linkages), then the funnel and case holders merged per referral/case in the batch's
    order and upserted once each, then Star/linkage changes in order (a change always follows its
    insert in the same key's order, so the insert is there by then).
    """
    known: list[tuple[Envelope, Any]] = [(env, payload) for env, payload in events if payload is not None]
    if not copied:
        _insert_facts(cur, [env for env, _ in known if env.event_type in FACT_TYPES])
        _insert_activity(cur, [(env, p) for env, p in known if env.event_type == "HospitalActivityUploaded"])
    _erase_patients(cur, [payload for env, payload in known if env.event_type == "PatientErased"])
    _insert_costs(cur, [(env, payload) for env, payload in known if env.event_type == "ComparisonCostsUploaded"])
    if not copied:
        _insert_stars(cur, [(env, payload) for env, payload in known if env.event_type == "WellbeingStarRecorded"])
        _insert_linkages(cur, [payload for env, payload in known if env.event_type == "LinkageMade"])
    progress: dict[Any, dict[str, Any]] = {}
    holders: dict[Any, tuple[Any, ...]] = {}
    for env, payload in known:
        stage = _STAGES.get(env.event_type)
        if stage is not None:
            referral_id, columns = stage(payload)
            _merge_stage(progress.setdefault(referral_id, {}), columns)
        if env.event_type in _HOLDER_EVENTS:
            before = holders.get(payload.case_id)
            still_open = _HOLDER_EVENTS[env.event_type] and (before is None or before[3])
            holders[payload.case_id] = (payload.case_id, payload.provider_id, payload.link_worker_id, still_open)
    _upsert_progress(cur, progress)
    _correct_referral_dates(cur, [p for env, p in known if env.event_type == "ReferralEntriesCorrected"])
    _upsert_holders(cur, list(holders.values()))
    _apply_changes(cur, [(env, payload) for env, payload in known if env.event_type in _CHANGES])
    _bump_ledger_inputs(cur, [env.recorded_at for env, _ in known if env.event_type in LEDGER_INPUT_TYPES])


# What the ledger reads (facts of every kept type, conservatively, and the commissioner rows): applying
# any of them bumps `ledger_inputs` in the same transaction, so cached ledgers know they are stale.
LEDGER_INPUT_TYPES = FACT_TYPES | {"HospitalActivityUploaded", "ComparisonCostsUploaded"}


def _bump_ledger_inputs(cur: Any, recorded: list[datetime]) -> None:
    if recorded:
        cur.execute(
            "UPDATE ledger_inputs SET version = version + 1, latest_recorded_at = GREATEST(latest_recorded_at, %s)",
            (max(recorded),),
        )


def empty_derived_tables(cur: Any) -> None:
    """Before a rebuild: every derived table empty, and cached ledgers stale (no inputs any more,
    and a new version); the materialised ledger (empty, like its inputs) is complete again."""
    cur.execute(f"TRUNCATE {', '.join(DERIVED_TABLES)}")
    cur.execute("UPDATE ledger_inputs SET version = version + 1, latest_recorded_at = NULL, lines_ready = TRUE")


def mark_ledger_incomplete(cur: Any) -> None:
    """The rebuild fills the facts first and the materialised ledger last: until then the ledger is
    answered by the recompute (`lines_ready` false), never from half-rebuilt tables."""
    cur.execute("UPDATE ledger_inputs SET lines_ready = FALSE")


# Identifying even without a key: the NHS-number pseudonym is kept once, in `patients` (for matching
# hospital activity), where erasure deletes it; a copy in the facts would outlive the erasure. Events
# no longer carry it (ReferralReceived v2, and v1 upcast without it): this stays as a guard.
_NOT_KEPT_IN_FACTS = frozenset({"nhs_number_pseudonym"})


def sanitised(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without sealed fields (ciphertexts are of no use here and need not be copied) and
    without the NHS-number pseudonym. Most payloads are flat and pseudonym-free: those are returned
    as they are (not copied)."""
    if _NOT_KEPT_IN_FACTS.isdisjoint(payload) and not any(isinstance(v, dict) for v in payload.values()):
        return payload
    return {
        k: v
        for k, v in payload.items()
        if k not in _NOT_KEPT_IN_FACTS and not (isinstance(v, dict) and "ciphertext" in v)
    }


def _insert_facts(cur: Any, envelopes: Iterable[Envelope]) -> None:
    rows = [
        (
            e.event_id,
            e.event_type,
            e.schema_version,
            e.aggregate_id,
            e.occurred_at,
            e.recorded_at,
            psycopg2.extras.Json(sanitised(e.payload)),
        )
        for e in envelopes
    ]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO facts (event_id, event_type, schema_version, case_id, occurred_at, recorded_at, payload)"
            " VALUES %s ON CONFLICT (event_id) DO NOTHING",
            rows,
            page_size=1000,
        )


def apply_pseudonyms(cur: Any, records: Sequence[PatientPseudonym | PseudonymForgotten]) -> None:
    """The pseudonym -> patient mapping hospital activity is matched by, from the referral service's
    compacted pseudonym topic (records of one patient in their order: a value, then perhaps a
    tombstone). A pseudonym maps to the patient referral knew last (after an erasure the same person
    is referred again as a new patient, whose record may arrive before the erased one's from another
    partition); never to an erased patient (`erased_patients`: a record read after the patient's
    `PatientErased`); a tombstone forgets the patient's mapping."""
    latest: dict[str, tuple[str, str, datetime]] = {}
    for r in records:
        if isinstance(r, PatientPseudonym):
            known = latest.get(r.nhs_number_pseudonym)
            if known is None or r.known_since > known[2]:
                latest[r.nhs_number_pseudonym] = (r.nhs_number_pseudonym, str(r.patient_id), r.known_since)
    if latest:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO patients (nhs_number_pseudonym, patient_id, recorded_at)"
            " SELECT v.pseudonym, v.patient_id::uuid, v.recorded_at"
            " FROM (VALUES %s) AS v (pseudonym, patient_id, recorded_at)"
            " WHERE NOT EXISTS (SELECT 1 FROM erased_patients e WHERE e.patient_id = v.patient_id::uuid)"
            " ON CONFLICT (nhs_number_pseudonym) DO UPDATE"
            " SET patient_id = EXCLUDED.patient_id, recorded_at = EXCLUDED.recorded_at"
            " WHERE patients.recorded_at IS NULL OR patients.recorded_at < EXCLUDED.recorded_at",
            list(latest.values()),
            template="(%s, %s, %s::timestamptz)",
            page_size=1000,
        )
    forgotten = [str(r.patient_id) for r in records if isinstance(r, PseudonymForgotten)]
    if forgotten:  # after the values: a patient's tombstone follows its value
        cur.execute("DELETE FROM patients WHERE patient_id = ANY(%s::uuid[])", (forgotten,))


def _erase_patients(cur: Any, erased: Iterable[Any]) -> None:
    """The right to erasure (docs/security.md): the patient's pseudonym mapping goes, so hospital
    activity uploaded later for their NHS number matches nobody; `patient_id` (random) stays the
    ledger's key, so the payable ledger and its evidence ids do not change."""
    rows = list({p.patient_id: (str(p.patient_id), p.erased_at) for p in erased}.values())
    if not rows:
        return
    psycopg2.extras.execute_values(
        cur, "INSERT INTO erased_patients (patient_id, erased_at) VALUES %s ON CONFLICT DO NOTHING", rows
    )
    cur.execute("DELETE FROM patients WHERE patient_id = ANY(%s::uuid[])", ([patient_id for patient_id, _ in rows],))


def _insert_activity(cur: Any, uploads: Iterable[tuple[Envelope, Any]]) -> None:
    rows = [
        (
            r.row_id,
            p.upload_id,
            r.line,
            r.patient_id,
            r.activity_type.value,
            r.activity_date,
            r.cost_pence,
            env.recorded_at,
            env.event_id,
        )
        for env, p in uploads
        for r in p.rows
    ]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO activity_rows (row_id, upload_id, line, patient_id, activity_type, activity_date,"
            " cost_pence, recorded_at, event_id) VALUES %s ON CONFLICT (row_id) DO NOTHING",
            rows,
            page_size=1000,
        )


def _insert_costs(cur: Any, uploads: Iterable[tuple[Envelope, Any]]) -> None:
    rows = [
        (c.row_id, p.upload_id, c.line, c.quarter, c.per_head_cost_pence, env.recorded_at, env.event_id)
        for env, p in uploads
        for c in p.costs
    ]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO comparison_costs (row_id, upload_id, line, quarter, per_head_cost_pence, recorded_at,"
            " event_id) VALUES %s ON CONFLICT (row_id) DO NOTHING",
            rows,
            page_size=1000,
        )


IDENTITY_COLUMNS = ("practice_ods_code", "provider_id", "link_worker_id", "discharge_reason")  # latest wins
STAGE_COLUMNS = (
    "received_on",
    "eligible_on",
    "ineligible_on",
    "allocated_on",
    "contacted_on",
    "engaged_on",
    "declined_on",
    "unable_to_contact_on",
    "discharged_on",
    "withdrawn_on",
    "first_contact_on",
)  # first date wins (the first contact: the earliest date, whatever order contacts were recorded in)
EARLIEST_COLUMNS = ("first_contact_on",)
_PROGRESS_COLUMNS = IDENTITY_COLUMNS + STAGE_COLUMNS


def _merge_stage(row: dict[str, Any], columns: dict[str, Any]) -> None:
    for name, value in columns.items():
        if value is None:
            continue
        if name in IDENTITY_COLUMNS or row.get(name) is None:
            row[name] = value
        elif name in EARLIEST_COLUMNS:
            row[name] = min(row[name], value)


def _upsert_progress(cur: Any, progress: dict[Any, dict[str, Any]]) -> None:
    if not progress:
        return
    sets = ", ".join(
        f"{n} = COALESCE(EXCLUDED.{n}, referral_progress.{n})"
        if n in IDENTITY_COLUMNS
        else f"{n} = LEAST(referral_progress.{n}, EXCLUDED.{n})"  # LEAST ignores NULLs
        if n in EARLIEST_COLUMNS
        else f"{n} = COALESCE(referral_progress.{n}, EXCLUDED.{n})"
        for n in _PROGRESS_COLUMNS
    )
    rows = [(rid, *(cols.get(n) for n in _PROGRESS_COLUMNS)) for rid, cols in progress.items()]
    psycopg2.extras.execute_values(
        cur,
        f"INSERT INTO referral_progress (referral_id, {', '.join(_PROGRESS_COLUMNS)}) VALUES %s"
        f" ON CONFLICT (referral_id) DO UPDATE SET {sets}",
        rows,
        page_size=1000,
    )


def _correct_referral_dates(cur: Any, corrections: list[Any]) -> None:
    """A corrected referral date replaces the one received (the funnel's "received" month moves with it:
    docs/domain.md §3.5); in order, after the upsert, so it wins over the `ReferralReceived` of the
    same batch. Other corrected entries (conditions, referrer) are not read by reporting."""
    for p in corrections:
        if p.referred_on is not None:
            cur.execute(
                "UPDATE referral_progress SET received_on = %s WHERE referral_id = %s", (p.referred_on, p.referral_id)
            )


def _upsert_holders(cur: Any, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO case_holders (case_id, provider_id, link_worker_id, open) VALUES %s"
            " ON CONFLICT (case_id) DO UPDATE SET provider_id = EXCLUDED.provider_id,"
            " link_worker_id = EXCLUDED.link_worker_id, open = case_holders.open AND EXCLUDED.open",
            rows,
            page_size=1000,
        )


def _insert_stars(cur: Any, recorded: Iterable[tuple[Envelope, Any]]) -> None:
    rows = [
        (
            p.star_id,
            p.case_id,
            p.patient_id,
            p.provider_id,
            p.link_worker_id,
            p.taken_on,
            psycopg2.extras.Json(p.scores.model_dump(mode="json")),
            p.total,
            env.recorded_at,
        )
        for env, p in recorded
    ]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO stars (star_id, case_id, patient_id, provider_id, link_worker_id, taken_on, scores,"
            " total, recorded_at) VALUES %s ON CONFLICT (star_id) DO NOTHING",
            rows,
            page_size=1000,
        )


def _insert_linkages(cur: Any, made: Iterable[Any]) -> None:
    rows = [(p.linkage_id, p.case_id, p.provider_id, p.category.value, "suggested", p.made_on) for p in made]
    if rows:
        psycopg2.extras.execute_values(
            cur,
            "INSERT INTO linkages (linkage_id, case_id, provider_id, category, status, made_on) VALUES %s"
            " ON CONFLICT (linkage_id) DO NOTHING",
            rows,
            page_size=1000,
        )


def _apply_changes(cur: Any, changes: Iterable[tuple[Envelope, Any]]) -> None:
    """Star corrections/voids and linkage updates, in order; each run of consecutive ones of a kind in
    one statement (within a run the last change of each Star or linkage wins, as one by one)."""
    for event_type, run in itertools.groupby(changes, key=lambda change: change[0].event_type):
        if event_type == "WellbeingStarCorrected":
            corrected = {
                p.star_id: (p.star_id, psycopg2.extras.Json(p.scores.model_dump(mode="json")), p.total) for _, p in run
            }
            psycopg2.extras.execute_values(
                cur,
                "UPDATE stars SET scores = v.scores, total = v.total FROM (VALUES %s) AS v (star_id, scores, total)"
                " WHERE stars.star_id = v.star_id",
                list(corrected.values()),
                template="(%s::uuid, %s::jsonb, %s::integer)",
                page_size=1000,
            )
        elif event_type == "WellbeingStarVoided":
            cur.execute(
                "UPDATE stars SET voided = true WHERE star_id = ANY(%s::uuid[])", ([p.star_id for _, p in run],)
            )
        else:
            updated = {p.linkage_id: (p.linkage_id, p.to_status.value) for _, p in run}
            psycopg2.extras.execute_values(
                cur,
                "UPDATE linkages SET status = v.status FROM (VALUES %s) AS v (linkage_id, status)"
                " WHERE linkages.linkage_id = v.linkage_id",
                list(updated.values()),
                template="(%s::uuid, %s::text)",
                page_size=1000,
            )


_CHANGES = frozenset({"WellbeingStarCorrected", "WellbeingStarVoided", "LinkageUpdated"})

# event type -> is the case still open after it
_HOLDER_EVENTS: dict[str, bool] = {
    "CaseOpened": True,
    "CaseReassigned": True,
    "UnableToContact": False,
    "CaseDischarged": False,
    "CaseWithdrawn": False,
}

# event type -> (referral id, funnel columns it sets)
_STAGES: dict[str, Callable[[Any], tuple[Any, dict[str, Any]]]] = {
    "ReferralReceived": lambda p: (
        p.referral_id,
        {"practice_ods_code": p.practice_ods_code, "received_on": p.referred_on},
    ),
    "ReferralAssessed": lambda p: (p.referral_id, {"eligible_on" if p.eligible else "ineligible_on": p.assessed_on}),
    "ReferralAllocated": lambda p: (
        p.referral_id,
        {"provider_id": p.provider_id, "link_worker_id": p.link_worker_id, "allocated_on": p.allocated_on},
    ),
    "ReferralDeclined": lambda p: (p.referral_id, {"declined_on": p.declined_on}),
    "CaseContacted": lambda p: (p.case_id, {"contacted_on": p.contacted_on}),
    "CaseEngaged": lambda p: (p.case_id, {"engaged_on": p.engaged_on}),
    "UnableToContact": lambda p: (p.case_id, {"unable_to_contact_on": p.on}),
    "CaseDischarged": lambda p: (p.case_id, {"discharged_on": p.discharged_on, "discharge_reason": p.reason.value}),
    "ReferralWithdrawn": lambda p: (p.referral_id, {"withdrawn_on": p.withdrawn_on}),
    # a waiting referral whose corrected entries fail a criterion ends ineligible (docs/domain.md §3.5)
    "ReferralEntriesCorrected": lambda p: (
        p.referral_id,
        {"ineligible_on": p.corrected_on if p.found_ineligible else None},
    ),
    # the first contact or attempt (attended or not): what the first-contact deadline asks for
    "ContactRecorded": lambda p: (p.case_id, {"first_contact_on": local_date(p.occurred_at)}),
    "ContactAttemptFailed": lambda p: (p.case_id, {"first_contact_on": local_date(p.occurred_at)}),
}
