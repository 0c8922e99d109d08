"""Onward linkage, the social prescription (docs/domain.md §4):
suggested → referred → attended | declined | did_not_start, and suggested → declined.

A linkage points at a directory service's stable id. It can be made to a service that is active,
inactive or temporarily closed (it may reopen), never to one the directory does not know or has
marked defunct.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from uuid import UUID

from contracts.engagement import LinkageCategory
from contracts.engagement import LinkageStatus as L
from engagement.domain.errors import InvalidTransition, ValidationProblem
from engagement.domain.goals import StatusChange


class ServiceStatus(StrEnum):
    """A directory service's status, as Open Referral UK spells it."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


LINKAGE_TRANSITIONS = MappingProxyType(
    {
        L.SUGGESTED: frozenset({L.REFERRED, L.DECLINED}),
        L.REFERRED: frozenset({L.ATTENDED, L.DECLINED, L.DID_NOT_START}),
        L.ATTENDED: frozenset(),
        L.DECLINED: frozenset(),
        L.DID_NOT_START: frozenset(),
    }
)


def ensure_linkage_transition(from_status: L, to_status: L) -> None:
    if to_status not in LINKAGE_TRANSITIONS[from_status]:
        raise InvalidTransition("linkage", from_status, to_status)


def service_problems(service_id: UUID, known_services: Mapping[UUID, ServiceStatus | str]) -> list[ValidationProblem]:
    status = known_services.get(service_id)
    if status is None:
        return [ValidationProblem("service_id", f"unknown directory service {service_id}")]
    if ServiceStatus(status) is ServiceStatus.DEFUNCT:
        return [ValidationProblem("service_id", f"directory service {service_id} is defunct")]
    return []


@dataclass(frozen=True)
class LinkageRecord:
    linkage_id: UUID
    service_id: UUID
    category: LinkageCategory
    made_on: date
    status: L = L.SUGGESTED
    history: tuple[StatusChange, ...] = ()

    @property
    def last_changed_on(self) -> date:
        return self.history[-1].on if self.history else self.made_on
