"""The directory's unit of work and the services its handlers share: events are stored as the
"directory" producer and published on the directory topic; "now" comes from the services' clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from contracts import Envelope
from directory.config import Settings
from linkwell_runtime.service import Services, caused_by
from linkwell_runtime.unit_of_work import UnitOfWork


@dataclass
class DirectoryUnitOfWork(UnitOfWork):
    settings: Settings
    producer: ClassVar[str] = "directory"

    @property
    def topic(self) -> str:
        return self.settings.directory_topic


@dataclass
class DirectoryServices(Services):
    settings: Settings

    def unit_of_work(self, cur: Any, cause: Envelope | None = None) -> DirectoryUnitOfWork:
        return DirectoryUnitOfWork(cur, self.settings, self.clock(), **caused_by(cause))
