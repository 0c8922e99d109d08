"""The referral service's unit of work: the runtime's (one transaction, "now" from the service's clock,
the causal chain, the event repository), publishing on the referral topic with the read model
projected in the same round trip as every append, and the secret the NHS-number pseudonym needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from linkwell_runtime.repository import Projector
from linkwell_runtime.unit_of_work import UnitOfWork
from referral.adapters.projection import project
from referral.config import Settings
from referral.domain import Referral


@dataclass
class ReferralUnitOfWork(UnitOfWork):
    settings: Settings

    producer: ClassVar[str] = "referral"
    projector: ClassVar[Projector | None] = staticmethod(project)

    @property
    def topic(self) -> str:
        return self.settings.referral_topic

    @property
    def pseudonym_key(self) -> bytes:
        return self.settings.pseudonym_key

    def referral(self, referral_id: UUID) -> Referral:
        """The referral its stored events make (an empty one when it has none)."""
        return Referral.from_events(self.events.events(referral_id))
