"""The programme's reference data at start: 17 practices, 4 providers, 40 link workers.

Ids are name-based UUIDs (uuid5), so every environment seeds the same ids. Seeding appends the
registration events (published like any other) only for aggregates that have no history yet.
"""

from __future__ import annotations

import uuid

from contracts.events import EventPayload
from contracts.referral import LinkWorkerRegistered, PracticeRegistered, ProviderRegistered
from linkwell_runtime.repository import EventRepository, Stamp

NAMESPACE = uuid.UUID("6f1d3c52-2a51-4f55-9a0c-7d7f3b0e5a11")

PROVIDERS = {  # provider name -> practices it serves (ODS code, name)
    "Changing Lives": [
        ("A85001", "Elswick Family Practice"),
        ("A85002", "Benwell Medical Group"),
        ("A85003", "Arthur's Hill Surgery"),
        ("A85004", "Scotswood Surgery"),
        ("A85005", "Fenham Surgery"),
    ],
    "Mental Health Concern": [
        ("A85006", "Walker Medical Group"),
        ("A85007", "Byker Bridge Practice"),
        ("A85008", "Walkergate Park Practice"),
        ("A85009", "Shieldfield Health Centre"),
    ],
    "First Contact Clinical": [
        ("A85010", "Heaton Road Surgery"),
        ("A85011", "Jesmond Village Practice"),
        ("A85012", "Gosforth Memorial Surgery"),
        ("A85013", "Kenton Park Medical Centre"),
    ],
    "HealthWORKS": [
        ("A85014", "Westerhope Health Centre"),
        ("A85015", "Denton Turret Medical Centre"),
        ("A85016", "Cowgate Family Practice"),
        ("A85017", "Newburn Riverside Surgery"),
    ],
}
LINK_WORKERS_PER_PROVIDER = 10
_SEED_LOCK = 8_001_001
_FIRST = [
    "Aisha",
    "Ben",
    "Claire",
    "Dan",
    "Emma",
    "Faisal",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kira",
    "Liam",
    "Maya",
    "Nathan",
    "Olivia",
    "Priya",
    "Quinn",
    "Rosie",
    "Sam",
    "Tom",
]
_LAST = ["Armstrong", "Bell", "Charlton", "Dodds", "Elliott", "Forster", "Graham", "Hall", "Iley", "Jobling"]


def provider_id(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"provider:{name}")


def link_worker_id(provider: str, n: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"link-worker:{provider}:{n}")


def reference_events() -> list[tuple[str, EventPayload]]:
    """(aggregate id, registration event) for everything in the seed, in a stable order."""
    out: list[tuple[str, EventPayload]] = []
    for p_index, (name, practices) in enumerate(PROVIDERS.items()):
        pid = provider_id(name)
        out.append((str(pid), ProviderRegistered(provider_id=pid, name=name)))
        for code, practice in practices:
            out.append((code, PracticeRegistered(ods_code=code, name=practice, participating=True, provider_id=pid)))
        for n in range(LINK_WORKERS_PER_PROVIDER):
            i = p_index * LINK_WORKERS_PER_PROVIDER + n
            lid = link_worker_id(name, n)
            out.append(
                (
                    str(lid),
                    LinkWorkerRegistered(
                        link_worker_id=lid,
                        provider_id=pid,
                        display_name=f"{_FIRST[i % 20]} {_LAST[(i * 3) % 10]}",
                        capacity=40 + (i * 7) % 21,
                        active=True,
                    ),
                )
            )
    return out


def seed_reference_data(events: EventRepository, stamp: Stamp) -> int:
    """Register whatever of the seed is not registered yet; returns how many events were appended."""
    events.cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SEED_LOCK,))  # one seeder at a time
    appended = 0
    for aggregate_id, event in reference_events():
        if events.version_of(aggregate_id) == 0:
            events.append(aggregate_id, 0, [event], stamp)
            appended += 1
    return appended
