"""The ledger as versions on the knowledge axis: what each unit's lines were, from which `recorded_at`
to which. Pure; the consumer stores what these functions return (service_layer/ledger_projection.py).

A *unit* is the smallest part of the ledger an input can change:
- a **case** (outcome W): its lines, its exceptions (facts no rulebook covers) and the cohort
  membership its baseline gives its patient all follow from the case's own facts alone;
- a **cohort** (outcome S): its lines follow from its members (every case's membership as known),
  its members' activity rows and the comparison costs of its measured quarters.

A unit's items as known at T are the pure domain's answer for T (`w_outcomes`, `uncovered_stars`,
`cohort_member`, `s_outcomes`, the same functions `payable` runs), computed with `as_of` left open
(lines and exceptions are kept or not by their own date when a question is asked). They change only
at the unit's change points (the `recorded_at` of its inputs), so the answer at every change point
from `since` on, merged into maximal intervals per item, is the unit's whole history from `since`
on. The intervals are canonical (maximal, per item), so the stored history does not depend on the
order the inputs arrived in, only on what they are: a late input (recorded before versions already
stored) is handled by recomputing the unit from its `recorded_at` on.

Outcome S is also payable only once its quarter is over (`quarter_ended_at`): an S line's version
is in the ledger from the later of its `valid_from` and that moment (`payable_from`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from reporting.domain.calendar import Quarter
from reporting.domain.cohorts import CohortMember, cohort_member
from reporting.domain.commissioner_data import ActivityRow, ComparisonCost, comparison_costs_known_at
from reporting.domain.episode import Episode, apply_fact
from reporting.domain.facts import Fact
from reporting.domain.outcome import Outcome
from reporting.domain.outcome_s import measured_quarters, quarter_ended_at, s_outcomes
from reporting.domain.outcome_w import w_outcomes
from reporting.domain.rulebook import Rulebook, covered
from reporting.domain.uncovered import Uncovered, uncovered_stars

Record = Mapping[str, Any]  # JSON-able: what is stored for an item
Items = dict[str, Record]  # item key -> record; keys: "W|<outcome id>", "S|<outcome id>", "X|<fact id>", "M"
Snapshot = tuple[datetime, Items]  # a unit's items as known from this moment (until the next snapshot)

MEMBERSHIP = "M"


@dataclass(frozen=True)
class Version:
    """One item's record over [valid_from, valid_to) on the knowledge axis (valid_to None: still holds)."""

    item: str
    record: Record
    valid_from: datetime
    valid_to: datetime | None = None


# --- records (lossless JSON of the domain's values) ---------------------------------------------


def outcome_record(o: Outcome) -> dict[str, Any]:
    return {
        "outcome_id": str(o.outcome_id),
        "outcome_type": o.outcome_type,
        "achieved_on": o.achieved_on.isoformat(),
        "amount": o.amount,
        "payer_shares": [[payer, pence] for payer, pence in o.payer_shares],
        "provider_id": _str(o.provider_id),
        "link_worker_id": _str(o.link_worker_id),
        "evidence": list(o.evidence),
        "rulebook": o.rulebook,
        "patient_id": _str(o.patient_id),
        "cohort": o.cohort,
        "measured_quarter": o.measured_quarter,
        "case_id": o.case_id,
    }


def outcome_from_record(r: Record) -> Outcome:
    return Outcome(
        outcome_id=UUID(r["outcome_id"]),
        outcome_type=r["outcome_type"],
        achieved_on=date.fromisoformat(r["achieved_on"]),
        amount=int(r["amount"]),
        payer_shares=tuple((str(p), int(pence)) for p, pence in r["payer_shares"]),
        provider_id=_uuid(r["provider_id"]),
        link_worker_id=_uuid(r["link_worker_id"]),
        evidence=tuple(r["evidence"]),
        rulebook=r["rulebook"],
        patient_id=_uuid(r["patient_id"]),
        cohort=r["cohort"],
        measured_quarter=r["measured_quarter"],
        case_id=r["case_id"],
    )


def uncovered_record(x: Uncovered) -> dict[str, Any]:
    return {
        "kind": x.kind,
        "fact_id": x.fact_id,
        "case_id": x.case_id,
        "patient_id": _str(x.patient_id),
        "provider_id": _str(x.provider_id),
        "field": x.field,
        "on": x.on.isoformat(),
        "reason": x.reason,
    }


def uncovered_from_record(r: Record) -> Uncovered:
    return Uncovered(
        fact_id=r["fact_id"],
        case_id=r["case_id"],
        patient_id=_uuid(r["patient_id"]),
        provider_id=_uuid(r["provider_id"]),
        field=r["field"],
        on=date.fromisoformat(r["on"]),
        reason=r["reason"],
        kind=r["kind"],
    )


def member_record(cohort: Quarter, member: CohortMember) -> dict[str, Any]:
    return {
        "cohort": str(cohort),
        "patient_id": str(member.patient_id),
        "provider_id": _str(member.provider_id),
        "baseline_on": member.baseline_on.isoformat(),
        "baseline_evidence": list(member.baseline_evidence),
    }


def member_from_record(r: Record) -> tuple[Quarter, CohortMember]:
    member = CohortMember(
        UUID(r["patient_id"]),
        _uuid(r["provider_id"]),
        date.fromisoformat(r["baseline_on"]),
        tuple(r["baseline_evidence"]),
    )
    return Quarter.parse(r["cohort"]), member


def _str(value: UUID | None) -> str | None:
    return None if value is None else str(value)


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


# --- a unit's items at one moment ----------------------------------------------------------------


def case_items(episode: Episode, rulebooks: Sequence[Rulebook]) -> Items:
    """A case's W lines, exceptions and cohort membership, as the episode stands (as_of left open)."""
    items: Items = {f"W|{o.outcome_id}": outcome_record(o) for o in w_outcomes(episode, rulebooks, date.max)}
    items |= {f"X|{x.fact_id}": uncovered_record(x) for x in uncovered_stars(episode, rulebooks, date.max)}
    joined = cohort_member(episode)
    if joined is not None:
        items[MEMBERSHIP] = member_record(*joined)
    return items


def case_snapshots(
    case_id: str, facts: Sequence[Fact], rulebooks: Sequence[Rulebook], since: datetime
) -> list[Snapshot]:
    """The case's items at `since` and at every `recorded_at` after it: folded in recorded order
    (stable: equal instants keep the order given, the per-key order), as `episodes_known_at` folds."""
    ordered = sorted(facts, key=lambda f: f.recorded_at)
    moments = sorted({since, *(f.recorded_at for f in ordered if f.recorded_at > since)})
    episode, i, snapshots = Episode(case_id=case_id), 0, list[Snapshot]()
    for moment in moments:
        while i < len(ordered) and ordered[i].recorded_at <= moment:
            episode = apply_fact(episode, ordered[i])
            i += 1
        snapshots.append((moment, case_items(episode, rulebooks)))
    return snapshots


@dataclass(frozen=True)
class MemberVersion:
    """One case's membership of a cohort, over [valid_from, valid_to) on the knowledge axis."""

    case_id: str
    member: CohortMember
    valid_from: datetime
    valid_to: datetime | None


def members_at(versions: Iterable[MemberVersion], moment: datetime) -> dict[UUID, CohortMember]:
    """A cohort's members as known at `moment`, as `cohorts` picks them: per patient the earliest
    baseline, on the same day the case id that sorts first."""
    standing = [v for v in versions if v.valid_from <= moment and (v.valid_to is None or moment < v.valid_to)]
    chosen: dict[UUID, MemberVersion] = {}
    for v in sorted(standing, key=lambda v: v.case_id):
        current = chosen.get(v.member.patient_id)
        if current is None or v.member.baseline_on < current.member.baseline_on:
            chosen[v.member.patient_id] = v
    return {patient: v.member for patient, v in chosen.items()}


def cohort_snapshots(
    cohort: Quarter,
    members: Sequence[MemberVersion],
    activity: Sequence[ActivityRow],
    comparison_costs: Sequence[ComparisonCost],
    rulebooks: Sequence[Rulebook],
    since: datetime,
) -> list[Snapshot]:
    """The cohort's S lines at `since` and at each later change point: a membership starting or
    ending, an activity row or a comparison cost recorded. `activity`: the rows of every patient
    ever a member; `comparison_costs`: those of its measured quarters (in stored order)."""
    if not covered(cohort.first_day, rulebooks):
        return [(since, {})]
    changes = {since}
    changes |= {v.valid_from for v in members} | {v.valid_to for v in members if v.valid_to is not None}
    changes |= {r.recorded_at for r in activity} | {c.recorded_at for c in comparison_costs}
    snapshots = list[Snapshot]()
    for moment in sorted(t for t in changes if t >= since):
        lines = s_outcomes(
            {cohort: members_at(members, moment)},
            [r for r in activity if r.recorded_at <= moment],
            comparison_costs_known_at(comparison_costs, moment),
            rulebooks,
            date.max,
        )
        snapshots.append((moment, {f"S|{o.outcome_id}": outcome_record(o) for o in lines}))
    return snapshots


def cohorts_measuring(quarter: Quarter, cohorts: Iterable[Quarter], rulebooks: Sequence[Rulebook]) -> set[Quarter]:
    """The cohorts among these that measure `quarter` (a comparison cost for it changes them)."""
    return {c for c in cohorts if covered(c.first_day, rulebooks) and quarter in measured_quarters(c, rulebooks)}


def payable_from(item: str, record: Record, valid_from: datetime) -> datetime:
    """From when a version is in the ledger: an S line not before its measured quarter is over."""
    if item.startswith("S|"):
        return max(valid_from, quarter_ended_at(Quarter.parse(record["measured_quarter"])))
    return valid_from


# --- merging into maximal intervals ------------------------------------------------------------


def merge_versions(prior: Iterable[Version], snapshots: Sequence[Snapshot], since: datetime) -> list[Version]:
    """The unit's versions from the stored ones that reach `since` (`prior`: every stored version with
    `valid_to` None or >= since) and its snapshots from `since` on: what to store in their place.
    Versions before `since` are kept, cut at `since`; from `since` on the snapshots decide; an item
    whose record is the same either side of `since` stays one version (maximal intervals)."""
    kept = [replace(v, valid_to=since if v.valid_to is None or v.valid_to > since else v.valid_to) for v in prior]
    kept = [v for v in kept if v.valid_from < since]
    fresh: list[Version] = []
    open_: dict[str, Version] = {}
    for moment, items in snapshots:
        for item in list(open_):
            if items.get(item) != open_[item].record:
                fresh.append(replace(open_.pop(item), valid_to=moment))
        for item, record in items.items():
            if item not in open_:
                open_[item] = Version(item, record, moment)
    fresh += open_.values()
    ending_at_since = {v.item: v for v in kept if v.valid_to == since}
    merged: list[Version] = []
    for v in fresh:
        before = ending_at_since.get(v.item)
        if v.valid_from == since and before is not None and before.record == v.record:
            kept.remove(before)
            v = replace(v, valid_from=before.valid_from)
        merged.append(v)
    return sorted([*kept, *merged], key=lambda v: (v.item, v.valid_from))
