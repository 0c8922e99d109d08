"""Consent (docs/domain.md §4.12): to the service, and to sharing outcomes with the GP.

- Each consent moves none → given | declined; given → withdrawn; declined | withdrawn → given
  (asked again, the patient agrees). Nothing else: a repeat changes nothing, and only given consent
  can be withdrawn.
- **Case work needs consent to the service**: new work (a contact or attempt, a goal, a Star, a
  linkage, an action step, an extension) dated on a day *after* consent to the service was declined
  or withdrawn, and before it was given again, is refused. The day itself is allowed (the session in
  which the patient withdrew is a contact), and so is work while consent is not yet recorded (it is
  asked for at the first session). Updates of existing records (a goal or step closed, a Star
  corrected) and discharge stay allowed: they close out the record, they are not new work.
- **Outcome detail goes to the GP only with consent to share** standing (the latest record is given).
Pure: the case is passed in.
"""

from __future__ import annotations

from datetime import date
from types import MappingProxyType

from contracts.casework import ConsentKind, ConsentState
from engagement.domain.case_state import CaseState
from engagement.domain.casework_records import ConsentRecord

C = ConsentState
CONSENT_TRANSITIONS = MappingProxyType(
    {
        None: frozenset({C.GIVEN, C.DECLINED}),
        C.GIVEN: frozenset({C.WITHDRAWN}),
        C.DECLINED: frozenset({C.GIVEN}),
        C.WITHDRAWN: frozenset({C.GIVEN}),
    }
)
REFUSING = frozenset({C.DECLINED, C.WITHDRAWN})


def consent_history(case: CaseState, kind: ConsentKind) -> list[ConsentRecord]:
    return [c for c in case.consents if c.consent is kind]


def current_consent(case: CaseState, kind: ConsentKind) -> ConsentRecord | None:
    """The latest record of this consent (dates never go backwards within one kind)."""
    history = consent_history(case, kind)
    return history[-1] if history else None


def consent_on(case: CaseState, kind: ConsentKind, day: date) -> ConsentRecord | None:
    """The record standing on `day`: the last one dated on or before it."""
    standing = [c for c in consent_history(case, kind) if c.on <= day]
    return standing[-1] if standing else None


def service_refused_on(case: CaseState, day: date) -> ConsentRecord | None:
    """The decline or withdrawal that refuses new work dated `day`, if any: one dated before that day
    and not followed by consent given again by then."""
    standing = consent_on(case, ConsentKind.SERVICE, day)
    if standing is not None and standing.state in REFUSING and standing.on < day:
        return standing
    return None


def shares_outcomes_with_gp(case: CaseState) -> bool:
    """Whether the discharge summary may carry outcome detail: consent to share stands given now."""
    latest = current_consent(case, ConsentKind.SHARE_OUTCOMES_WITH_GP)
    return latest is not None and latest.state is C.GIVEN


def new_work_days(case: CaseState) -> list[date]:
    """The days of the new work consent to the service covers (what a decline would have refused)."""
    return [
        *(c.on for c in case.contacts),
        *(a.on for a in case.failed_attempts),
        *(g.agreed_on for g in case.goals),
        *(s.taken_on for s in case.stars),
        *(k.made_on for k in case.linkages),
        *(s.added_on for s in case.steps),
        *(e.extended_on for e in case.extensions),
    ]
