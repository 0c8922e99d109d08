"""Seed data: approximate centroids of Newcastle-area postcode districts (outcodes), for proximity
searches without a network lookup. Accurate to roughly a kilometre, which is what "near me" needs."""

from __future__ import annotations

from typing import Any

import psycopg2.extras

OUTCODE_CENTROIDS: dict[str, tuple[float, float, str]] = {
    "NE1": (54.9733, -1.6140, "Newcastle city centre"),
    "NE2": (54.9880, -1.6040, "Jesmond, Sandyford"),
    "NE3": (55.0100, -1.6300, "Gosforth, Kenton, Fawdon"),
    "NE4": (54.9720, -1.6520, "Fenham, Elswick, Benwell"),
    "NE5": (54.9930, -1.7000, "Westerhope, Denton Burn, Cowgate"),
    "NE6": (54.9760, -1.5720, "Byker, Heaton, Walker"),
    "NE7": (55.0000, -1.5800, "High Heaton, Benton"),
    "NE8": (54.9530, -1.6000, "Gateshead centre"),
    "NE9": (54.9350, -1.5950, "Low Fell, Wrekenton"),
    "NE10": (54.9480, -1.5450, "Felling, Pelaw, Heworth"),
    "NE11": (54.9420, -1.6400, "Dunston, Team Valley"),
    "NE12": (55.0300, -1.5650, "Killingworth, Longbenton"),
    "NE13": (55.0450, -1.6600, "Wideopen, Dinnington, Woolsington"),
    "NE15": (54.9850, -1.7300, "Newburn, Lemington, Throckley"),
    "NE27": (55.0350, -1.5100, "Shiremoor, Backworth"),
    "NE28": (54.9950, -1.5300, "Wallsend"),
    "NE29": (55.0100, -1.4600, "North Shields"),
    "NE30": (55.0170, -1.4300, "Tynemouth"),
}


def seed_postcodes(cur: Any) -> None:
    psycopg2.extras.execute_values(
        cur,
        "INSERT INTO postcode_centroid (outcode, latitude, longitude, place) VALUES %s"
        " ON CONFLICT (outcode) DO UPDATE SET latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,"
        " place = EXCLUDED.place",
        [(code, lat, lon, place) for code, (lat, lon, place) in OUTCODE_CENTROIDS.items()],
    )
