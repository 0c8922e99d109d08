"""Test builders: bitemporal facts about cases, made through the contracts event types (no I/O).
Shared by the unit and integration tests (on the path through tests/conftest.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from contracts import engagement as e
from contracts import referral as r
from reporting.domain.facts import Fact

PROVIDER_A = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
PROVIDER_B = uuid.UUID("00000000-0000-7000-8000-0000000000a2")
WORKER_1 = uuid.UUID("00000000-0000-7000-8000-0000000000b1")
WORKER_2 = uuid.UUID("00000000-0000-7000-8000-0000000000b2")
AREAS = [area.value for area in e.StarArea]


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def scores_totalling(total: int) -> dict[str, int]:
    base, extra = divmod(total, 8)
    return {area: base + (1 if i < extra else 0) for i, area in enumerate(AREAS)}


class CaseFacts:
    """One case's history as facts; every method appends and returns the new fact."""

    def __init__(self, provider_id=PROVIDER_A, link_worker_id=WORKER_1, case_id=None, patient_id=None):
        self.case_id = case_id or uuid.uuid4()
        self.patient_id = patient_id or uuid.uuid4()
        self.provider_id, self.link_worker_id = provider_id, link_worker_id
        self.facts: list[Fact] = []

    def _add(self, cls, day: date, recorded_at: datetime | None = None, **fields) -> Fact:
        payload = cls(
            case_id=self.case_id,
            patient_id=self.patient_id,
            provider_id=self.provider_id,
            link_worker_id=self.link_worker_id,
            **fields,
        ).model_dump(mode="json")
        fact = Fact(
            uuid.uuid4(),
            cls.event_type,
            cls.schema_version,
            str(self.case_id),
            at(day),
            recorded_at or at(day),
            payload,
        )
        self.facts.append(fact)
        return fact

    def opened(self, on: date, **kw) -> Fact:
        return self._add(e.CaseOpened, on, practice_ods_code="A86001", allocated_on=on, **kw)

    def reassigned(self, on: date, to_worker: uuid.UUID, **kw) -> Fact:
        before, self.link_worker_id = self.link_worker_id, to_worker
        return self._add(e.CaseReassigned, on, from_link_worker_id=before, reassigned_on=on, **kw)

    def star(self, taken_on: date, total: int, recorded_at: datetime | None = None) -> uuid.UUID:
        star_id = uuid.uuid4()
        kind = "baseline" if not any(f.event_type == "WellbeingStarRecorded" for f in self.facts) else "review"
        self._add(
            e.WellbeingStarRecorded,
            taken_on,
            recorded_at,
            star_id=star_id,
            scores=scores_totalling(total),
            total=total,
            kind=kind,
            taken_on=taken_on,
        )
        if kind == "baseline":
            self._add(e.CaseEngaged, taken_on, recorded_at, baseline_star_id=star_id, engaged_on=taken_on)
        return star_id

    def corrected(self, star_id, total: int, recorded_at: datetime) -> Fact:
        return self._add(
            e.WellbeingStarCorrected,
            recorded_at.date(),
            recorded_at,
            star_id=star_id,
            scores=scores_totalling(total),
            total=total,
            corrected_on=recorded_at.date(),
        )

    def voided(self, star_id, recorded_at: datetime) -> Fact:
        return self._add(
            e.WellbeingStarVoided, recorded_at.date(), recorded_at, star_id=star_id, voided_on=recorded_at.date()
        )

    def extended(self, on: date, review_on: date) -> Fact:
        return self._add(e.CaseExtended, on, extended_on=on, review_on=review_on)

    def discharged(self, on: date, recorded_at: datetime | None = None) -> Fact:
        return self._add(
            e.CaseDischarged, on, recorded_at, reason="goals_met", discharged_on=on, contacts_count=3, stars_count=2
        )

    def withdrawn(self, on: date, recorded_at: datetime | None = None) -> Fact:
        """The referral (id = case id) withdrawn as made in error: a referral event on the case's id."""
        payload = r.ReferralWithdrawn(
            referral_id=self.case_id,
            patient_id=self.patient_id,
            practice_ods_code="A86001",
            from_status=r.ReferralStatus.ENGAGED,
            reason_code=r.WithdrawalReason.WRONG_PATIENT,
            withdrawn_on=on,
            provider_id=self.provider_id,
            link_worker_id=self.link_worker_id,
        ).model_dump(mode="json")
        fact = Fact(uuid.uuid4(), "ReferralWithdrawn", 1, str(self.case_id), at(on), recorded_at or at(on), payload)
        self.facts.append(fact)
        return fact
