"""Bench-scale writer: the demo plan fed through the services' own write paths, in process.

Not HTTP: each write calls the service layer the API's route would call (referral intake and decline,
engagement's case command handlers, reporting's commissioner uploads), in a transaction on that
service's own database, so every event goes through the service's event store + outbox, its relay,
Kafka and the consumers (engagement opens the cases from referral events; reporting projects it all).
It never writes another service's tables; it reads engagement's `cases` read model (engagement's own
table, what `GET /cases/{id}` serves) to know that a case has opened.

Patients go in referral-date order in chunks: the referrals of chunk i are written while engagement
opens the cases of chunk i-1, whose case work (one transaction per case, each command through its
handler) follows. So discharges free caseload places at most two chunks behind the referrals.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from engagement.adapters.case_cache import CaseCache
from engagement.config import Settings as EngagementSettings
from engagement.domain.errors import DomainError as EngagementRefusal
from engagement.service_layer import handlers
from engagement.service_layer.unit_of_work import EngagementUnitOfWork as EngagementUow
from linkwell_demo.model import CasePlan, PatientPlan, Plan
from linkwell_runtime import db
from linkwell_runtime.auth import Principal, Role
from linkwell_runtime.refusals import Conflict, Forbidden, Invalid, NotFound
from referral.adapters.referral_rows import referral_row
from referral.config import Settings as ReferralSettings
from referral.domain.errors import DomainError as ReferralRefusal
from referral.entrypoints.schemas.requests import ReferralCreate
from referral.service_layer import intake, lifecycle
from referral.service_layer.unit_of_work import ReferralUnitOfWork
from reporting.config import Settings as ReportingSettings
from reporting.service_layer import commissioner
from reporting.service_layer.unit_of_work import ReportingUnitOfWork

REFUSALS = (EngagementRefusal, ReferralRefusal, Forbidden, Conflict, Invalid, NotFound)  # CaseNotFound is a NotFound


@dataclass
class WriteSummary:
    counts: Counter = field(default_factory=Counter)
    refusals: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def refused(self, what: str, exc: Exception) -> None:
        key = f"{what}: {type(exc).__name__}"
        self.refusals[key] += 1
        self.examples.setdefault(key, str(exc)[:200])


class Writer:
    def __init__(
        self,
        plan: Plan,
        referral: ReferralSettings,
        engagement: EngagementSettings,
        reporting: ReportingSettings,
        services_by_category: dict[str, list[UUID]],
    ) -> None:
        self.plan, self.rs, self.es, self.ps = plan, referral, engagement, reporting
        self.services = services_by_category
        self.referral_conn = db.connect(referral.database_url)
        self.engagement_conn = db.connect(engagement.database_url)
        self.summary = WriteSummary()
        self.cases = CaseCache(engagement.case_cache_size)  # as an engagement API process keeps
        self.allocated: dict[int, tuple[UUID, str, str]] = {}  # patient index -> (case id, provider, link worker)

    def close(self) -> None:
        self.referral_conn.close()
        self.engagement_conn.close()

    # -- referral service ----------------------------------------------------------------------------

    def _referral_uow(self, cur) -> ReferralUnitOfWork:
        return ReferralUnitOfWork(cur, self.rs, datetime.now(UTC))  # as the API's, on the system clock

    def referral(self, p: PatientPlan) -> None:
        with db.transaction(self.referral_conn) as cur:
            received = intake.receive_referral(self._referral_uow(cur), ReferralCreate(**p.referral_body()).to_intake())
            row = referral_row(cur, received.referral_id)
        self.summary.counts["referrals"] += 1
        self.summary.counts[f"referral {row['status']}"] += 1
        if row["status"] != "allocated":
            return
        if p.decline_on is not None:
            try:
                with db.transaction(self.referral_conn) as cur:
                    lifecycle.decline(
                        self._referral_uow(cur), received.referral_id, p.decline_reason, None, p.decline_on
                    )
                self.summary.counts["declines"] += 1
            except REFUSALS as exc:
                self.summary.refused("decline", exc)
            return
        if p.case is not None:
            self.allocated[p.index] = (received.referral_id, str(row["provider_id"]), str(row["link_worker_id"]))

    # -- engagement service --------------------------------------------------------------------------

    def wait_for_cases(self, case_ids: list[UUID], timeout: float) -> set[UUID]:
        """Those of the cases engagement has opened (its consumer, from the referral events) by the deadline."""
        deadline, opened = time.monotonic() + timeout, set()
        while True:
            with db.transaction(self.engagement_conn) as cur:
                cur.execute("SELECT case_id FROM cases WHERE case_id = ANY(%s::uuid[])", ([str(c) for c in case_ids],))
                opened = {UUID(str(r[0])) for r in cur.fetchall()}
            if len(opened) == len(case_ids) or time.monotonic() > deadline:
                return opened
            time.sleep(0.05)

    def case_work(self, p: PatientPlan) -> None:
        case_id, provider, worker = self.allocated[p.index]
        who = Principal(sub=f"bench-lw-{worker}", role=Role.LINK_WORKER, provider_id=provider, link_worker_id=worker)
        with db.transaction(self.engagement_conn) as cur:
            uow = lambda: EngagementUow(cur, self.es, datetime.now(UTC), cases=self.cases)  # noqa: E731 - own now
            self._case(uow, who, case_id, p.case)
        self.summary.counts["cases worked"] += 1

    def _do(self, what: str, call):
        try:
            out = call()
            self.summary.counts[what] += 1
            return out
        except REFUSALS as exc:
            self.summary.refused(what, exc)
            return None

    def _case(self, uow, who, case_id: UUID, case: CasePlan) -> None:
        """The case's plan in time order, each step with its own business date (CasePlan.timeline),
        through the handler the matching engagement route calls (as demo/load.py does over HTTP)."""
        stars: list[UUID] = []
        goals: dict[int, UUID] = {}
        linkages: dict[int, UUID] = {}
        for when, kind, item in case.timeline():
            if kind == "contact":
                self._do(
                    "contacts" if item.attended else "did not attend",
                    lambda: handlers.record_contact(
                        uow(),
                        who,
                        case_id,
                        occurred_at=when,
                        mode=item.mode,
                        duration_minutes=item.duration_minutes,
                        attended=item.attended,
                        venue=item.venue,
                    ),
                )
            elif kind == "attempt":
                self._do(
                    "failed attempts",
                    lambda: handlers.record_attempt(
                        uow(), who, case_id, occurred_at=when, note="No answer; left a voicemail"
                    ),
                )
            elif kind == "star":
                made = self._do(
                    "stars",
                    lambda: handlers.record_star(uow(), who, case_id, taken_on=item.taken_on, scores=item.scores),
                )
                if made:
                    stars.append(made["star_id"])
            elif kind == "goal":
                i, goal = item
                made = self._do(
                    "goals",
                    lambda: handlers.agree_goal(
                        uow(),
                        who,
                        case_id,
                        description=goal.description,
                        star_areas=list(goal.star_areas),
                        target_date=goal.target_date,
                        agreed_on=goal.agreed_on,
                    ),
                )
                if made:
                    goals[i] = made["goal_id"]
            elif kind == "goal change":
                i, _, status = item
                if i not in goals:
                    continue
                goal = case.goals[i]
                replacement = (
                    {
                        "description": f"{goal.description}, a step at a time",
                        "star_areas": list(goal.star_areas),
                        "target_date": goal.replacement_target,
                    }
                    if status == "revised"
                    else None
                )
                self._do(
                    "goal changes",
                    lambda: handlers.update_goal(
                        uow(),
                        who,
                        case_id,
                        goals[i],
                        status=status,
                        on=when.date(),
                        replacement=replacement,
                        note="Too much at once: broken into smaller steps" if replacement else None,
                    ),
                )
            elif kind == "linkage":
                i, linkage = item
                services = self.services.get(linkage.category) or []
                if not services:
                    self.summary.counts["linkages without a directory service"] += 1
                    continue
                made = self._do(
                    "linkages",
                    lambda: handlers.make_linkage(
                        uow(),
                        who,
                        case_id,
                        service_id=services[linkage.pick % len(services)],
                        category=linkage.category,
                        made_on=linkage.made_on,
                    ),
                )
                if made:
                    linkages[i] = made["linkage_id"]
            elif kind == "linkage change":
                i, _, status = item
                if i in linkages:
                    self._do(
                        "linkage changes",
                        lambda: handlers.update_linkage(
                            uow(), who, case_id, linkages[i], status=status, on=when.date()
                        ),
                    )
            elif kind == "extension":
                self._do(
                    "extensions",
                    lambda: handlers.extend(
                        uow(), who, case_id, reason=item.reason, review_on=item.review_on, extended_on=item.extended_on
                    ),
                )
            elif kind == "star fix":
                if item.star_index >= len(stars):
                    continue
                star = stars[item.star_index]
                if item.kind == "correction":
                    self._do(
                        "star corrections",
                        lambda: handlers.correct_star(
                            uow(), who, case_id, star, scores=item.scores, reason=item.reason, corrected_on=item.on
                        ),
                    )
                else:
                    self._do(
                        "star voids",
                        lambda: handlers.void_star(uow(), who, case_id, star, reason=item.reason, voided_on=item.on),
                    )
            elif kind == "discharge":
                self._do(
                    "discharges",
                    lambda: handlers.discharge(uow(), who, case_id, reason=item, discharged_on=when.date()),
                )

    # -- reporting service (the commissioner's uploads) ----------------------------------------------

    def commissioner_uploads(self, rows_per_upload: int) -> dict[str, int]:
        """Hospital activity in uploads of `rows_per_upload` rows (one event each: a Kafka message must
        stay under the broker's 1 MB limit), then the comparison costs, each through reporting's upload
        handler (event + outbox + tables in one transaction)."""
        lines = self.plan.hospital_activity_csv().splitlines()
        header, rows = lines[0], lines[1:]
        out = Counter()
        conn = db.connect(self.ps.database_url)
        try:
            for start in range(0, len(rows), rows_per_upload):
                text = "\n".join([header, *rows[start : start + rows_per_upload]]) + "\n"
                with db.transaction(conn) as cur:
                    answer = commissioner.upload_hospital_activity(
                        ReportingUnitOfWork(cur, self.ps, datetime.now(UTC)), text
                    )
                out["activity uploads"] += 1
                out["activity rows applied"] += answer.get("rows_applied", 0)
                out["activity rows unknown"] += answer.get("rows_unknown_nhs_number", 0)
            with db.transaction(conn) as cur:
                commissioner.upload_comparison_costs(
                    ReportingUnitOfWork(cur, self.ps, datetime.now(UTC)), self.plan.comparison_costs_csv()
                )
            out["comparison cost quarters"] = len(self.plan.comparison_costs)
        finally:
            conn.close()
        return dict(out)
