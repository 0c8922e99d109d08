"""Engagement's unit of work: the runtime's (one transaction, "now" from the service's clock, the
causal chain, the event repository) with the process's folded cases, publishing to the engagement topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from engagement.adapters.case_cache import CaseCache
from engagement.config import Settings
from linkwell_runtime.unit_of_work import UnitOfWork


@dataclass
class EngagementUnitOfWork(UnitOfWork):
    settings: Settings
    cases: CaseCache | None = None  # the process's folded cases; None folds every case from its events

    producer: ClassVar[str] = "engagement"

    @property
    def topic(self) -> str:
        return self.settings.engagement_topic
