"""Demo directory: the Linkwell linkage-category taxonomy and 66 services in and around Newcastle
upon Tyne, across the linkage categories of docs/domain.md §4, each with a weekly schedule. Ids are
stable (UUIDv5 from names) so re-seeding finds what it published before."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any

from contracts.engagement import LinkageCategory
from directory.adapters.postcodes import OUTCODE_CENTROIDS
from directory.domain.inputs import OrganizationIn, ServiceIn

NAMESPACE = uuid.UUID("6f1c8a52-3c0e-4b7e-9a51-2d0f4f1f7a10")
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy:linkwell-linkage-categories")


def stable_id(kind: str, name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{name}")


TAXONOMY = {
    "id": str(TAXONOMY_ID),
    "name": "Linkwell linkage categories",
    "description": "Categories of onward linkage in social prescribing (docs/domain.md §4), with activity kinds",
    "version": "1",
}

ACTIVITIES = {  # activity kind -> (linkage category, description, organisation, byday, opens, closes, pence, min, max)
    "Walking groups": (
        LinkageCategory.PHYSICAL_ACTIVITY,
        "Led health walks at an easy pace",
        "Active Tyneside",
        "TU",
        "10:00",
        "11:30",
        0,
        18,
        None,
    ),
    "Gyms": (
        LinkageCategory.PHYSICAL_ACTIVITY,
        "Supported gym sessions on referral",
        "Active Tyneside",
        "MO,WE,FR",
        "09:00",
        "12:00",
        250,
        16,
        None,
    ),
    "Chair-based exercise": (
        LinkageCategory.PHYSICAL_ACTIVITY,
        "Gentle seated exercise",
        "Active Tyneside",
        "TH",
        "14:00",
        "15:00",
        150,
        40,
        None,
    ),
    "Cooking courses": (
        LinkageCategory.WEIGHT_MANAGEMENT_HEALTHY_EATING,
        "Six-week cook-and-eat course on a budget",
        "Food Nation",
        "WE",
        "13:00",
        "15:00",
        0,
        18,
        None,
    ),
    "Weight management groups": (
        LinkageCategory.WEIGHT_MANAGEMENT_HEALTHY_EATING,
        "Weekly weigh-in and healthy eating support",
        "Food Nation",
        "MO",
        "18:00",
        "19:30",
        0,
        18,
        None,
    ),
    "Welfare rights advice": (
        LinkageCategory.WELFARE_RIGHTS_ADVICE,
        "Benefits checks and help with claims and appeals",
        "Tyneside Advice Partnership",
        "MO,TU,WE,TH,FR",
        "09:30",
        "16:30",
        0,
        18,
        None,
    ),
    "Debt advice": (
        LinkageCategory.WELFARE_RIGHTS_ADVICE,
        "Free, confidential debt advice",
        "Tyneside Advice Partnership",
        "TU,TH",
        "10:00",
        "16:00",
        0,
        18,
        None,
    ),
    "Arts and crafts groups": (
        LinkageCategory.ARTS,
        "Drop-in art and craft sessions",
        "Tyne Arts for Health",
        "WE",
        "10:00",
        "12:00",
        200,
        18,
        None,
    ),
    "Choirs": (
        LinkageCategory.ARTS,
        "Community choir: no auditions, all voices welcome",
        "Tyne Arts for Health",
        "TH",
        "19:00",
        "21:00",
        300,
        16,
        None,
    ),
    "Volunteering opportunities": (
        LinkageCategory.VOLUNTEERING,
        "Find and start a volunteering role",
        "Volunteer Tyneside",
        "MO,WE",
        "10:00",
        "15:00",
        0,
        16,
        None,
    ),
    "COPD support groups": (
        LinkageCategory.LONG_TERM_CONDITION_MANAGEMENT,
        "Breathe-easy peer support for people with COPD",
        "Tyneside Health Peer Groups",
        "FR",
        "13:30",
        "15:00",
        0,
        18,
        None,
    ),
    "Diabetes support groups": (
        LinkageCategory.LONG_TERM_CONDITION_MANAGEMENT,
        "Living well with diabetes: peer support and education",
        "Tyneside Health Peer Groups",
        "TU",
        "18:30",
        "20:00",
        0,
        18,
        None,
    ),
    "Talking therapies": (
        LinkageCategory.MENTAL_HEALTH,
        "NHS talking therapies for anxiety and depression (self-referral)",
        "Newcastle Talking Therapies",
        "MO,TU,WE,TH,FR",
        "09:00",
        "17:00",
        0,
        16,
        None,
    ),
    "Peer support for wellbeing": (
        LinkageCategory.MENTAL_HEALTH,
        "Friendly peer-support group for low mood",
        "Newcastle Talking Therapies",
        "WE",
        "14:00",
        "16:00",
        0,
        18,
        None,
    ),
    "Adult learning": (
        LinkageCategory.LEARNING_AND_EMPLOYMENT,
        "Free courses in English, maths and digital skills",
        "Tyneside Learning Works",
        "MO,TH",
        "10:00",
        "12:00",
        0,
        19,
        None,
    ),
    "Employment support": (
        LinkageCategory.LEARNING_AND_EMPLOYMENT,
        "One-to-one help back into work",
        "Tyneside Learning Works",
        "TU",
        "09:30",
        "15:30",
        0,
        18,
        66,
    ),
    "Lunch clubs": (
        LinkageCategory.COMMUNITY_ACTIVITIES,
        "Hot lunch and company",
        "Tyneside Community Network",
        "FR",
        "12:00",
        "14:00",
        350,
        50,
        None,
    ),
    "Community gardening": (
        LinkageCategory.COMMUNITY_ACTIVITIES,
        "Grow food and flowers together",
        "Tyneside Community Network",
        "SA",
        "10:00",
        "13:00",
        0,
        16,
        None,
    ),
    "Stop smoking service": (
        LinkageCategory.NHS_SERVICES,
        "NHS stop smoking advice and support",
        "Newcastle Talking Therapies",
        "MO,WE,FR",
        "09:00",
        "17:00",
        0,
        12,
        None,
    ),
    "Pharmacy health checks": (
        LinkageCategory.NHS_SERVICES,
        "Blood pressure and NHS health checks",
        "Tyneside Health Peer Groups",
        "TH",
        "09:00",
        "12:00",
        0,
        40,
        74,
    ),
    "Tai chi": (
        LinkageCategory.PHYSICAL_ACTIVITY,
        "Slow, mindful movement for balance",
        "Active Tyneside",
        "SA",
        "09:30",
        "10:30",
        200,
        18,
        None,
    ),
    "Men's sheds": (
        LinkageCategory.COMMUNITY_ACTIVITIES,
        "Workshop space to make, mend and chat",
        "Tyneside Community Network",
        "TU,TH",
        "10:00",
        "15:00",
        0,
        18,
        None,
    ),
}

VENUES = [  # name, address_1, postcode
    ("Elswick Community Centre", "Beech Grove Road", "NE4 6RS"),
    ("Byker Community Centre", "Raby Street", "NE6 2FA"),
    ("Gosforth Civic Hall", "Regent Farm Road", "NE3 3HD"),
    ("City Library", "Charles Avenue", "NE1 8AX"),
    ("Walker Activity Dome", "Fisher Street", "NE6 4LT"),
    ("Westerhope Methodist Hall", "Stamfordham Road", "NE5 5HS"),
    ("Gateshead Central Library", "Prince Consort Road", "NE8 4LN"),
    ("Wallsend Customer First Centre", "16 The Forum", "NE28 8JP"),
    ("Lemington Centre", "Tyne View", "NE15 8RZ"),
    ("Killingworth Centre", "West Bailey", "NE12 6YQ"),
    ("Jesmond Library", "St George's Terrace", "NE2 2DL"),
    ("Heaton Community Centre", "Trewhitt Road", "NE6 5DY"),
]
STATUSES = {7: "temporarily closed", 19: "inactive", 41: "temporarily closed", 58: "defunct"}


def terms() -> list[dict[str, Any]]:
    top = [
        {
            "id": str(stable_id("term", c.value)),
            "name": c.value.replace("_", " ").capitalize(),
            "term": c.value,
            "description": f"Linkage category: {c.value.replace('_', ' ')}",
            "taxonomy": TAXONOMY["name"],
            "taxonomy_id": str(TAXONOMY_ID),
        }
        for c in LinkageCategory
    ]
    kinds = [
        {
            "id": str(stable_id("term", kind)),
            "name": kind,
            "term": kind.lower().replace(" ", "_"),
            "description": description,
            "parent_id": str(stable_id("term", category.value)),
            "taxonomy": TAXONOMY["name"],
            "taxonomy_id": str(TAXONOMY_ID),
        }
        for kind, (category, description, *_rest) in ACTIVITIES.items()
    ]
    return top + kinds


def organizations() -> list[OrganizationIn]:
    names = sorted({a[2] for a in ACTIVITIES.values()})
    return [
        OrganizationIn(
            id=stable_id("org", n),
            name=n,
            description=f"{n}: community services in Tyneside",
            website=f"https://example.org/{n.lower().replace(' ', '-')}",
        )
        for n in names
    ]


def services() -> list[ServiceIn]:
    out: list[ServiceIn] = []
    for i in range(66):
        kind = list(ACTIVITIES)[i % len(ACTIVITIES)]
        venue = VENUES[(i * 5) % len(VENUES)]
        out.append(_service(i, kind, venue))
    return out


def _service(i: int, kind: str, venue: tuple[str, str, str]) -> ServiceIn:
    _category, description, org, byday, opens, closes, pence, min_age, max_age = ACTIVITIES[kind]
    venue_name, street, postcode = venue
    name = f"{kind.rstrip('s') if kind.endswith('groups') else kind} at {venue_name}"
    lat, lon, _place = OUTCODE_CENTROIDS[postcode.split()[0]]
    sid = stable_id("service", name)
    location_id = stable_id("location", venue_name)
    sal_id = stable_id("sal", name)
    jitter = ((i % 7) - 3) * 0.002
    return ServiceIn.model_validate(
        {
            "id": sid,
            "organization_id": stable_id("org", org),
            "name": name,
            "description": description,
            "status": STATUSES.get(i, "active"),
            "minimum_age": min_age,
            "maximum_age": max_age,
            "email": f"hello@{org.lower().replace(' ', '').replace(chr(39), '')}.example.org",
            "attributes": [{"id": stable_id("attr", name), "taxonomy_term_id": stable_id("term", kind)}],
            "service_at_locations": [
                {
                    "id": sal_id,
                    "location": {
                        "id": location_id,
                        "location_type": "physical",
                        "name": venue_name,
                        "latitude": round(lat + jitter, 5),
                        "longitude": round(lon - jitter, 5),
                        "addresses": [
                            {
                                "id": stable_id("address", venue_name),
                                "address_1": f"{venue_name}, {street}",
                                "city": "Newcastle upon Tyne"
                                if postcode.startswith(("NE1 ", "NE2", "NE3", "NE4", "NE5", "NE6", "NE15"))
                                else "Tyneside",
                                "state_province": "Tyne and Wear",
                                "postal_code": postcode,
                                "country": "GB",
                            }
                        ],
                        "accessibility": [
                            {
                                "id": stable_id("access", venue_name),
                                "accessibility": "wheelchair accessible",
                                "description": "Step-free access and accessible toilet",
                            }
                        ],
                    },
                }
            ],
            "contacts": [
                {
                    "id": stable_id("contact", name),
                    "name": "Service coordinator",
                    "title": "Coordinator",
                    "phones": [{"id": stable_id("phone", name), "number": f"0191 496 {i:04d}"}],
                }
            ],
            "schedules": [
                {
                    "id": stable_id("schedule", name),
                    "service_at_location_id": sal_id,
                    "freq": "WEEKLY",
                    "byday": byday,
                    "opens_at": time.fromisoformat(opens),
                    "closes_at": time.fromisoformat(closes),
                    "valid_from": "2026-01-01",
                    "description": f"Every {byday} {opens}-{closes}",
                }
            ],
            "cost_options": [
                {
                    "id": stable_id("cost", name),
                    "option": "per session",
                    "amount": pence / 100,
                    "amount_description": "free" if pence == 0 else "per session",
                }
            ],
            "funding": [{"id": stable_id("funding", name), "source": "Newcastle City Council public health grant"}],
            "languages": [{"id": stable_id("language", name), "name": "English", "code": "en"}],
            "service_areas": [
                {
                    "id": stable_id("area", name),
                    "name": "Newcastle upon Tyne and North Tyneside",
                    "extent_type": "postcode districts",
                    "extent": "NE1-NE15, NE27-NE30",
                }
            ],
        }
    )
