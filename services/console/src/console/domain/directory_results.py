"""The directory search on the case page (issue 19): the services to link, from the directory's ORUK
answers. By distance, `GET /service_at_locations?postcode=` answers one row per service and place,
nearest first: a service met at several places is listed once, at its nearest. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DISTANCES_KM = (1, 2, 5, 10, 20)


@dataclass(frozen=True)
class Found:
    id: str
    name: str
    description: str
    status: str
    distance: str = ""  # "1.4 km" from the patient's postcode, when searched by distance


def km(metres: float | int | None) -> str:
    if metres is None:
        return ""
    return f"{metres / 1000:.1f} km"


def services(contents: Iterable[Mapping[str, Any]]) -> list[Found]:
    """`GET /services` rows, in the directory's order."""
    return [
        Found(str(s["id"]), str(s.get("name") or ""), str(s.get("description") or ""), str(s.get("status") or ""))
        for s in contents
    ]


def nearest_services(contents: Iterable[Mapping[str, Any]]) -> list[Found]:
    """`GET /service_at_locations` rows: each service once, at its nearest place, nearest first."""
    nearest: dict[str, tuple[float, Mapping[str, Any]]] = {}
    for row in contents:
        service = row.get("service") or {}
        distance = float(row["distance"]) if row.get("distance") is not None else float("inf")
        key = str(service.get("id"))
        if key not in nearest or distance < nearest[key][0]:
            nearest[key] = (distance, service)
    ordered = sorted(nearest.items(), key=lambda item: (item[1][0], str(item[1][1].get("name") or "")))
    return [
        Found(
            key,
            str(service.get("name") or ""),
            str(service.get("description") or ""),
            str(service.get("status") or ""),
            km(distance) if distance != float("inf") else "",
        )
        for key, (distance, service) in ordered
    ]


def within(value: str) -> int | None:
    """The distance chosen, in whole kilometres; anything not offered is no distance."""
    return int(value) if value.isdigit() and int(value) in DISTANCES_KM else None
