"""One Well-being Star's scores, the eight areas in Triangle's order: shared by the console's unit,
integration and browser tests so that every test starts from the same Star."""

from __future__ import annotations

STAR = {
    "lifestyle": 4,
    "looking_after_yourself": 5,
    "managing_symptoms": 3,
    "work_volunteering": 2,
    "money": 6,
    "where_you_live": 7,
    "family_and_friends": 5,
    "feeling_positive": 4,
}
