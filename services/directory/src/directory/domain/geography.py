"""Postcodes to outcodes, and great-circle distance in metres (haversine)."""

from __future__ import annotations

import math
import re

EARTH_RADIUS_METRES = 6_371_008.8
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})?$")


def outcode(postcode: str) -> str | None:
    """'ne1 4st' -> 'NE1', 'NE15' -> 'NE15'; None when it is not shaped like a UK postcode."""
    match = _POSTCODE.match(postcode.strip().upper())
    return match.group(1) if match else None


def haversine_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))
