"""A provider manager's view of their team (issue 19): each link worker's caseload against capacity
with their time to first contact, the allocation queue with how long each referral has waited, and the
open safeguarding concerns. Pure: built from the referral, engagement and reporting APIs' answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

RISK_ORDER = {"immediate": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class FirstContact:
    contacted: int
    awaiting: int
    median_days: float | None
    p90_days: int | None


@dataclass(frozen=True)
class Worker:
    link_worker_id: str
    name: str
    capacity: int
    caseload: int  # places taken, as allocation counts them (allocated, contacted, engaged)
    active: bool
    first_contact: FirstContact | None

    @property
    def spare(self) -> int:
        return self.capacity - self.caseload

    @property
    def load(self) -> str:
        """over | full | near (90 % or more) | room: said in words as well as shown."""
        if self.caseload > self.capacity:
            return "over"
        if self.caseload == self.capacity:
            return "full"
        return "near" if self.capacity and self.caseload * 10 >= self.capacity * 9 else "room"

    @property
    def percent(self) -> int:
        """The caseload as a share of capacity, for the bar (capped at 100)."""
        if self.capacity <= 0:
            return 100 if self.caseload else 0
        return min(100, round(self.caseload * 100 / self.capacity))


def first_contacts(rows: Iterable[Mapping[str, Any]]) -> dict[str | None, FirstContact]:
    """Reporting's rows by link worker id (None: the whole provider)."""
    return {
        (str(r["link_worker_id"]) if r.get("link_worker_id") else None): FirstContact(
            int(r.get("contacted") or 0),
            int(r.get("awaiting") or 0),
            None if r.get("median_days") is None else float(r["median_days"]),
            None if r.get("p90_days") is None else int(r["p90_days"]),
        )
        for r in rows
    }


def workers(link_workers: Iterable[Mapping[str, Any]], contacts: Mapping[str | None, FirstContact]) -> list[Worker]:
    """Active link workers first, then by name."""
    found = [
        Worker(
            link_worker_id=str(w["link_worker_id"]),
            name=str(w.get("display_name") or w["link_worker_id"]),
            capacity=int(w["capacity"]),
            caseload=int(w["active_caseload"]),
            active=bool(w.get("active", True)),
            first_contact=contacts.get(str(w["link_worker_id"])),
        )
        for w in link_workers
    ]
    return sorted(found, key=lambda w: (not w.active, w.name.lower(), w.link_worker_id))


@dataclass(frozen=True)
class Waiting:
    position: int
    referral_id: str
    practice: str
    referred_on: date
    waiting_since: date
    days: int


def queue(items: Iterable[Mapping[str, Any]], today: date) -> list[Waiting]:
    """The provider's eligible referrals nobody has room for, in the API's order (oldest received first,
    the order they will be allocated in), with the days each has waited since it was found eligible."""
    waiting = []
    for n, item in enumerate(items, start=1):
        since = date.fromisoformat(str(item.get("status_since") or item["referred_on"]))
        waiting.append(
            Waiting(
                n,
                str(item["referral_id"]),
                str(item["practice_ods_code"]),
                date.fromisoformat(str(item["referred_on"])),
                since,
                max(0, (today - since).days),
            )
        )
    return waiting


def concerns(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Open concerns, highest risk first, then the longest open."""
    return sorted(
        (r for r in rows if r.get("is_open", True)),
        key=lambda r: (RISK_ORDER.get(str(r.get("risk_level")), 9), str(r.get("raised_on"))),
    )


def days_word(days: float | None) -> str:
    if days is None:
        return "–"
    shown = f"{days:g}"
    return f"{shown} day" if days == 1 else f"{shown} days"
