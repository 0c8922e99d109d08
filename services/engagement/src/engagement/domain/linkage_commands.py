"""Onward linkage to a directory service. The directory's view of each service is passed in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from contracts.engagement import LinkageCategory, LinkageMade, LinkageStatus, LinkageUpdated
from contracts.events import EventPayload
from engagement.domain.case_base import CaseBase
from engagement.domain.errors import InvalidCommand, NotFound, fail_if
from engagement.domain.inputs import member_problem
from engagement.domain.linkages import LinkageRecord, ServiceStatus, ensure_linkage_transition, service_problems


class LinkageCommands(CaseBase):
    def make_linkage(
        self,
        linkage_id: UUID,
        *,
        service_id: UUID,
        category: LinkageCategory | str,
        known_services: Mapping[UUID, ServiceStatus | str],
        on: date,
        today: date,
    ) -> list[EventPayload]:
        """A suggested linkage to a known, non-defunct directory service, made `on` a day (reported as
        `made_on`: not in the future, not before the first attended contact)."""
        self._ensure_contacted("a linkage")
        fail_if(
            service_problems(service_id, known_services)
            + member_problem("category", LinkageCategory, category)
            + self._date_problems("made_on", on, today, (self.contacted_on, "the first attended contact"))
        )
        if self.linkage(linkage_id) is not None:
            raise InvalidCommand("the linkage is already recorded")
        self._ensure_consented(on, "a linkage")
        return [
            LinkageMade(
                **self._stamp(),
                linkage_id=linkage_id,
                service_id=service_id,
                category=LinkageCategory(category),
                made_on=on,
            )
        ]

    def update_linkage(
        self, linkage_id: UUID, to_status: LinkageStatus | str, *, on: date, today: date
    ) -> list[EventPayload]:
        """A status change `on` a day: not in the future, not before the linkage's last change."""
        self._ensure_open()
        fail_if(member_problem("status", LinkageStatus, to_status) + self._date_problems("on", on, today))
        linkage = self._linkage(linkage_id)
        ensure_linkage_transition(linkage.status, LinkageStatus(to_status))
        fail_if(self._date_problems("on", on, today, (linkage.last_changed_on, "the linkage's last change")))
        return [
            LinkageUpdated(
                **self._stamp(),
                linkage_id=linkage_id,
                from_status=linkage.status,
                to_status=LinkageStatus(to_status),
                on=on,
            )
        ]

    def _linkage(self, linkage_id: UUID) -> LinkageRecord:
        linkage = self.linkage(linkage_id)
        if linkage is None:
            raise NotFound("the case has no such linkage")
        return linkage
