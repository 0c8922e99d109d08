"""The options the case page's selects, radios and checkboxes offer: (value the API takes, words shown).
The values are the engagement contract's codes (contracts.engagement, contracts.casework)."""

from __future__ import annotations

from console.domain.case_items import status_name
from console.domain.directory_results import DISTANCES_KM
from console.domain.discharge_preview import REASONS
from console.domain.star_chart import AREA_NAMES, AREAS
from console.service_layer.case_updates import GOAL_MOVES, LINKAGE_MOVES, STEP_MOVES


def _named(*codes: str) -> list[tuple[str, str]]:
    return [(c, c.replace("_", " ").capitalize()) for c in codes]


CHOICES = {
    "modes": ("face_to_face", "telephone", "email", "text"),
    "venues": ("gp_practice", "community_centre", "cafe", "home", "other"),
    "discharge_reasons": tuple(REASONS),
    "discharge_reason_names": list(REASONS.items()),
    "areas": [(a, AREA_NAMES[a]) for a in AREAS],
    "goal_moves": [(m, status_name(m)) for m in GOAL_MOVES],
    "step_moves": [(m, status_name(m)) for m in STEP_MOVES],
    "linkage_moves": [(m, status_name(m)) for m in LINKAGE_MOVES],
    "distances": [(str(k), f"Within {k} km") for k in DISTANCES_KM],
    "consents": [("service", "To the service"), ("share_outcomes_with_gp", "To share outcomes with their GP")],
    "consent_states": _named("given", "declined", "withdrawn"),
    "contact_modes": _named("phone", "text", "email", "letter", "in_person"),
    "contact_times": _named("weekday_morning", "weekday_afternoon", "weekday_evening", "weekend"),
    "needs": _named(
        "step_free_access",
        "wheelchair_access",
        "hearing_loop",
        "british_sign_language",
        "large_print",
        "easy_read",
        "braille",
        "audio",
        "support_person_present",
        "other",
    ),
    "concern_categories": _named(
        "self_harm_or_suicide_risk", "abuse", "neglect", "domestic_abuse", "exploitation", "other"
    ),
    "risks": _named("low", "medium", "high", "immediate"),
    "escalated_to": [
        ("provider_safeguarding_lead", "Your organisation's safeguarding lead"),
        ("adult_social_care", "Adult social care"),
        ("childrens_social_care", "Children's social care"),
        ("gp", "The patient's GP"),
        ("mental_health_crisis_team", "Mental health crisis team"),
        ("police", "Police"),
        ("emergency_services", "Emergency services"),
        ("other", "Other"),
    ],
    "concern_outcomes": _named(
        "no_further_action",
        "resolved",
        "handed_to_statutory_services",
        "ongoing_with_another_agency",
        "unfounded",
        "other",
    ),
}
