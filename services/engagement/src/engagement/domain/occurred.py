"""The envelope's `occurred_at` for each engagement event (business time).

Contacts and attempts keep their own instant; everything else happened on a date, which becomes
00:00 UTC of that date (so a Star's envelope says `taken_on`T00:00Z, whatever time it was taken).
"""

from __future__ import annotations

from datetime import datetime

from contracts import casework as w
from contracts import engagement as e
from contracts.calendar import start_of_day_utc
from contracts.events import EventPayload

DATE_FIELD: dict[type[EventPayload], str] = {
    e.CaseOpened: "allocated_on",
    e.CaseReassigned: "reassigned_on",
    e.CaseContacted: "contacted_on",
    e.UnableToContact: "on",
    e.GoalAgreed: "agreed_on",
    e.GoalUpdated: "on",
    e.WellbeingStarRecorded: "taken_on",
    e.WellbeingStarCorrected: "corrected_on",
    e.WellbeingStarVoided: "voided_on",
    e.CaseEngaged: "engaged_on",
    e.LinkageMade: "made_on",
    e.LinkageUpdated: "on",
    e.CaseExtended: "extended_on",
    e.CaseDischarged: "discharged_on",
    w.ConsentRecorded: "on",
    w.PreferencesRecorded: "recorded_on",
    w.SafeguardingConcernRaised: "raised_on",
    w.SafeguardingConcernEscalated: "escalated_on",
    w.SafeguardingConcernClosed: "closed_on",
    w.ActionStepAdded: "added_on",
    w.ActionStepUpdated: "on",
    w.CaseWithdrawn: "withdrawn_on",
}


def occurred_at(event: EventPayload) -> datetime:
    if isinstance(event, e.ContactRecorded | e.ContactAttemptFailed):
        return event.occurred_at
    return start_of_day_utc(getattr(event, DATE_FIELD[type(event)]))
