"""What an auditor asks of the access audit, checked before a service is asked: which service's audit,
the time range (moments with their zone, `from` before `to`), a patient id, who read (a token's `sub`)
and the action, and the page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from console.service_layer.inputs import BadInput, instant_problem

PAGE_SIZE = 50
SOURCES = {  # the services that keep an access audit, as the auditor knows them
    "referral": "Patients and referrals (referral service)",
    "engagement": "Casework (engagement service)",
}
LONGEST = {"subject": 300, "action": 100}  # the audit API's own bounds


@dataclass(frozen=True)
class AuditQuery:
    service: str
    since: str | None
    until: str | None
    patient_id: str | None
    subject: str | None
    action: str | None
    page: int

    def api_filters(self) -> dict[str, str | None]:
        """The audit API's query parameters (`from`/`to` are Python keywords, hence the names here)."""
        return {
            "from": self.since,
            "to": self.until,
            "patient_id": self.patient_id,
            "subject": self.subject,
            "action": self.action,
        }


def audit_query(typed: dict[str, str], page: str) -> AuditQuery:
    """The typed filters as a query, or `BadInput` naming every bad field."""
    values = {name: (value or "").strip() for name, value in typed.items()}
    problems: dict[str, str] = {}
    if values["service"] not in SOURCES:
        problems["service"] = "Choose the referral service's audit or the engagement service's"
    for name in ("since", "until"):
        if values[name]:
            problems |= instant_problem(values[name], name)
    both = values["since"] and values["until"] and not problems.keys() & {"since", "until"}
    if both and datetime.fromisoformat(values["until"]) <= datetime.fromisoformat(values["since"]):
        problems["until"] = "The end of the range must be after its start"
    if values["patient_id"]:
        try:
            uuid.UUID(values["patient_id"])
        except ValueError:
            problems["patient_id"] = "Enter a patient id as it appears in the audit, e.g. 0a1b2c3d-…"
    for name, longest in LONGEST.items():
        if len(values[name]) > longest:
            problems[name] = f"Enter at most {longest} characters"
    number = int(page) if page.strip().isdigit() else 0
    if not 1 <= number <= 100_000:
        problems["page"] = "The page must be a whole number from 1"
    if problems:
        raise BadInput(problems)
    return AuditQuery(
        values["service"],
        values["since"] or None,
        values["until"] or None,
        values["patient_id"] or None,
        values["subject"] or None,
        values["action"] or None,
        number,
    )
