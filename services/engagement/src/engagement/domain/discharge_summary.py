"""The discharge summary the referrer's practice is sent (issue 18 item 7, docs/domain.md §3.3). Pure.

Always: the SNOMED CT codes (the referral; "declined" when the patient declined further support), the
reason, the dates and how many contacts were held. Outcome detail (the Star baseline and the latest
Star per area with the change, the goals with their outcome, the services linked and whether the
patient attended) only when the patient consented to share outcomes with their GP
(`shares_outcomes_with_gp`); otherwise those parts are empty and `outcomes_shared` is false.
No free text: goals by their Star areas, services by their directory id.
"""

from __future__ import annotations

from contracts.engagement import CaseDischargeReason, LinkageStatus, StarArea
from contracts.practice import (
    SNOMED_DISPLAY,
    CodedConcept,
    DischargeSummaryIssued,
    GoalOutcome,
    ServiceLinked,
    SnomedConcept,
    StarAreaChange,
    StarChange,
    discharge_summary_id,
)
from engagement.domain.case_state import CaseState
from engagement.domain.consent import shares_outcomes_with_gp
from engagement.domain.stars import star_history


def _code(concept: SnomedConcept) -> CodedConcept:
    return CodedConcept(code=concept, display=SNOMED_DISPLAY[concept])


def codes_for(reason: CaseDischargeReason) -> tuple[CodedConcept, ...]:
    codes = [_code(SnomedConcept.REFERRAL_TO_SOCIAL_PRESCRIBING)]
    if reason is CaseDischargeReason.DECLINED_FURTHER_SUPPORT:
        codes.append(_code(SnomedConcept.SOCIAL_PRESCRIBING_DECLINED))
    return tuple(codes)


def star_change(case: CaseState) -> StarChange | None:
    """Baseline and latest Star not voided (corrections applied); None without two Stars' worth (a
    baseline alone is shown as no change: latest = baseline)."""
    history = star_history(case)
    if not history:
        return None
    first, last = history[0], history[-1]
    areas = tuple(
        StarAreaChange(
            area=area,
            baseline=getattr(first.scores, area.value),
            latest=getattr(last.scores, area.value),
            change=getattr(last.scores, area.value) - getattr(first.scores, area.value),
        )
        for area in StarArea
    )
    return StarChange(
        baseline_on=first.taken_on,
        latest_on=last.taken_on,
        baseline_total=first.total,
        latest_total=last.total,
        change=last.total - first.total,
        areas=areas,
    )


def discharge_summary(case: CaseState, practice_ods_code: str) -> DischargeSummaryIssued:
    """The summary of a discharged case, for the practice the patient is registered with now."""
    if case.case_id is None or case.discharged_on is None or case.discharge_reason is None:
        raise ValueError("only a discharged case has a discharge summary")
    assert case.provider_id is not None and case.link_worker_id is not None and case.opened_on is not None
    shared = shares_outcomes_with_gp(case)
    first_contact = min((c.on for c in case.contacts), default=None)
    return DischargeSummaryIssued(
        summary_id=discharge_summary_id(case.case_id),
        referral_id=case.case_id,
        practice_ods_code=practice_ods_code,
        provider_id=case.provider_id,
        link_worker_id=case.link_worker_id,
        codes=codes_for(case.discharge_reason),
        reason=case.discharge_reason,
        opened_on=case.opened_on,
        first_contact_on=case.contacted_on or first_contact,
        engaged_on=case.engaged_on,
        discharged_on=case.discharged_on,
        contacts_held=case.attended_contacts_count,
        outcomes_shared=shared,
        wellbeing=star_change(case) if shared else None,
        goals=tuple(
            GoalOutcome(goal_id=g.goal_id, star_areas=g.star_areas, status=g.status.value, agreed_on=g.agreed_on)
            for g in case.goals
        )
        if shared
        else (),
        services=tuple(
            ServiceLinked(
                service_id=k.service_id,
                category=k.category,
                status=k.status,
                attended=k.status is LinkageStatus.ATTENDED,
                made_on=k.made_on,
            )
            for k in case.linkages
        )
        if shared
        else (),
    )
