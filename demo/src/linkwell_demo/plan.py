"""The demo programme as a plan: pure and deterministic (seed, size, years, today -> the same plan).

Nothing here does I/O or reads a clock: `today` is passed in. Each patient's part of the plan comes
from its own random stream (`Random(f"{seed}:{index}")`), so patient 7 is the same patient whatever
the cohort size. The loader (`load.py`) turns the plan into HTTP calls; directory services are chosen
there (the plan names a category and a `pick` number).

Shape of the cohort (docs/domain.md §1, Moffatt et al. 2017): referrals rising over the period; ages 40-74,
mean about 59; about 54% women; 1-3 long-term conditions, often anxiety and/or depression; about 20%
ineligible (age out of band, anxiety/depression only) or declined; contacts frequent at first and
thinning out, some did-not-attends; a few unable-to-contact (3 failed attempts over >= 4 weeks); a
baseline Well-being Star at the first face-to-face session and reviews about every 6 months whose
totals drift upward (first review about +3.5 on average, with real spread: some worse); about 1.7
linkages per engaged patient; goals, linkages and their changes dated at sessions; episodes reaching
the two-year limit end there or are extended (reason, review date); discharges for every reason; a few
Star corrections and voids entered late; hospital activity rows for every patient and a comparison cost per quarter.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from linkwell_demo.cases import case_plan, distinct, every_discharge_reason
from linkwell_demo.commissioner import activity, comparison_costs
from linkwell_demo.model import (  # noqa: F401 - re-exported: the plan's vocabulary
    CATEGORIES,
    DECLINE_REASONS,
    DEFAULT_PRACTICES,
    DISCHARGE_REASONS,
    P_AGE_OUT,
    P_DECLINE_AT_REFERRAL,
    P_FEMALE,
    P_MALE,
    P_MENTAL_HEALTH_ONLY,
    P_NEVER_ENGAGED,
    P_UNABLE_TO_CONTACT,
    QUALIFYING,
    QUALIFYING_WEIGHTS,
    STAR_AREAS,
    ActivityRow,
    CasePlan,
    Contact,
    Extension,
    Goal,
    Linkage,
    PatientPlan,
    Plan,
    Referrer,
    Star,
    StarFix,
)
from linkwell_demo.nhs import is_valid_nhs_number, new_nhs_number, nhs_check_digit  # noqa: F401

_FEMALE = [
    "Susan",
    "Linda",
    "Margaret",
    "Patricia",
    "Karen",
    "Julie",
    "Tracey",
    "Lorraine",
    "Pauline",
    "Christine",
    "Janet",
    "Angela",
    "Elaine",
    "Gillian",
    "Dawn",
    "Joanne",
    "Sandra",
    "Denise",
    "Carol",
    "Maureen",
    "Wendy",
    "Shirley",
    "Nasreen",
    "Fatima",
    "Shabana",
    "Agnieszka",
    "Grace",
    "Alison",
]
_MALE = [
    "David",
    "John",
    "Michael",
    "Paul",
    "Peter",
    "Stephen",
    "Mark",
    "Alan",
    "Ian",
    "Gary",
    "Kevin",
    "Brian",
    "Keith",
    "Colin",
    "Derek",
    "Raymond",
    "Anthony",
    "Steven",
    "George",
    "Robert",
    "Mohammed",
    "Tariq",
    "Imran",
    "Tomasz",
    "Kwame",
    "Neil",
    "Graham",
    "Trevor",
]
_SURNAMES = [
    "Robson",
    "Charlton",
    "Armstrong",
    "Milburn",
    "Dodds",
    "Elliott",
    "Forster",
    "Hall",
    "Graham",
    "Bell",
    "Thompson",
    "Robinson",
    "Wilson",
    "Scott",
    "Brown",
    "Smith",
    "Taylor",
    "Johnson",
    "Walker",
    "Young",
    "Atkinson",
    "Liddle",
    "Nixon",
    "Ridley",
    "Heron",
    "Stokoe",
    "Shevels",
    "Kerr",
    "Hussain",
    "Ahmed",
    "Begum",
    "Khan",
    "Kowalski",
    "Nowak",
    "Mensah",
    "Patel",
    "Reay",
    "Pattinson",
    "Bainbridge",
]
_CLINICIANS = [
    "Adams",
    "Baxter",
    "Chowdhury",
    "Dunn",
    "Evans",
    "Fletcher",
    "Gibson",
    "Harrison",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lowes",
    "Moore",
    "Nicholson",
    "Oliver",
    "Price",
    "Quayle",
    "Reid",
    "Shah",
    "Turnbull",
    "Usher",
    "Varley",
    "Wright",
    "Yates",
]
# Postcode districts near each practice group (ones the directory knows: NE1-NE13, NE15, NE27-NE30).
_DISTRICTS = {
    **{f"A85{n:03d}": ("NE4", "NE5", "NE15") for n in range(1, 6)},
    **{f"A85{n:03d}": ("NE6", "NE2", "NE1") for n in range(6, 10)},
    **{f"A85{n:03d}": ("NE6", "NE2", "NE3", "NE7") for n in range(10, 14)},
    **{f"A85{n:03d}": ("NE5", "NE15", "NE13") for n in range(14, 18)},
}
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def build_plan(
    seed: int = 7, patients: int = 300, years: float = 2, *, today: date, practices: tuple[str, ...] = DEFAULT_PRACTICES
) -> Plan:
    """The whole programme; every business date falls in [today - years, today)."""
    if patients < 0 or years <= 0:
        raise ValueError("patients must be >= 0 and years > 0")
    practices = tuple(sorted(practices)) or DEFAULT_PRACTICES
    start = today - timedelta(days=round(365.25 * years))
    cohort_rng = random.Random(f"{seed}:cohort")
    weights = [cohort_rng.uniform(0.6, 1.6) for _ in practices]  # list sizes differ
    referrers = {code: _practice_referrers(random.Random(f"{seed}:practice:{code}")) for code in practices}
    taken: set[str] = set()
    out = []
    for i in range(patients):
        rng = random.Random(f"{seed}:patient:{i}")
        nhs = new_nhs_number(rng, taken)
        taken.add(nhs)
        practice = rng.choices(practices, weights)[0]
        out.append(_patient(rng, i, nhs, practice, referrers[practice], start, today))
    out = every_discharge_reason(out, start, today)
    return Plan(
        seed=seed,
        years=years,
        today=today,
        start=start,
        patients=tuple(out),
        comparison_costs=comparison_costs(random.Random(f"{seed}:costs"), start, today),
        referrers=referrers,
    )


def _practice_referrers(rng: random.Random) -> tuple[Referrer, ...]:
    names = rng.sample(_CLINICIANS, 4)
    return (
        Referrer(f"Dr {names[0]}", "gp"),
        Referrer(f"Dr {names[1]}", "gp"),
        Referrer(f"{rng.choice(_FEMALE)} {names[2]}", "practice_nurse"),
        Referrer(f"{rng.choice(_FEMALE + _MALE)} {names[3]}", "healthcare_assistant"),
    )


def _referral_date(rng: random.Random, start: date, today: date) -> date:
    """Density rising linearly over the period (1 + 2t): inverse CDF of (t + t^2) / 2."""
    u = rng.random()
    t = (-1 + math.sqrt(1 + 8 * u)) / 2
    span = (today - start).days - 2  # the last referral is the day before yesterday
    return start + timedelta(days=min(span, int(t * span)))


def _patient(
    rng: random.Random, i: int, nhs: str, practice: str, referrers: tuple[Referrer, ...], start: date, today: date
) -> PatientPlan:
    sex = rng.choices(("female", "male", "other"), (P_FEMALE, P_MALE, 1 - P_FEMALE - P_MALE))[0]
    referred_on = _referral_date(rng, start, today)
    roll = rng.random()
    out_of_band = roll < P_AGE_OUT
    mh_only = P_AGE_OUT <= roll < P_AGE_OUT + P_MENTAL_HEALTH_ONLY
    if out_of_band:
        age = rng.choice((rng.randint(32, 39), rng.randint(75, 84)))
    else:
        age = max(40, min(74, round(rng.gauss(59.5, 8.5))))
    birthday_offset = rng.randrange(365)
    date_of_birth = _years_before(referred_on, age + 1) + timedelta(days=birthday_offset + 1)
    if date_of_birth > _years_before(referred_on, age):
        date_of_birth = _years_before(referred_on, age)
    n_conditions = 0 if mh_only else rng.choices((1, 2, 3), (0.45, 0.35, 0.20))[0]
    conditions = distinct(rng, QUALIFYING, QUALIFYING_WEIGHTS, n_conditions)
    mental = tuple(m for m, p in (("anxiety", 0.38), ("depression", 0.42)) if rng.random() < p)
    if mh_only and not mental:
        mental = ("anxiety",)
    given = rng.choice(_FEMALE if sex == "female" else _MALE if sex == "male" else _FEMALE + _MALE)
    family = rng.choice(_SURNAMES)
    district = rng.choice(_DISTRICTS.get(practice, ("NE4", "NE5", "NE6")))
    postcode = f"{district} {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    phone = (
        f"0191 498 {rng.randrange(1000):04d}" if rng.random() < 0.45 else f"07700 900{rng.randrange(1000):03d}"
    )  # Ofcom's drama ranges: never a real line
    email = f"{given.lower()}.{family.lower()}{rng.randint(1, 99)}@example.com" if rng.random() < 0.3 else None
    referrer = rng.choices(referrers, (0.35, 0.25, 0.25, 0.15))[0]
    base = dict(
        index=i,
        nhs_number=nhs,
        given_name=given,
        family_name=family,
        date_of_birth=date_of_birth,
        sex=sex,
        postcode=postcode,
        phone=phone,
        email=email,
        practice_ods_code=practice,
        referrer=referrer,
        conditions=conditions,
        mental_health=mental,
        referred_on=referred_on,
    )
    activity_rng = random.Random(rng.random())
    if out_of_band or mh_only:
        return PatientPlan(**base, expected="ineligible", activity=activity(activity_rng, start, today, None))
    roll = rng.random()
    if roll < P_DECLINE_AT_REFERRAL:
        on = min(referred_on + timedelta(days=rng.randint(1, 10)), today - timedelta(days=1))
        return PatientPlan(
            **base,
            expected="declined",
            decline_on=on,
            decline_reason=rng.choice(DECLINE_REASONS),
            activity=activity(activity_rng, start, today, None),
        )
    kind = (
        "unable_to_contact"
        if roll < P_DECLINE_AT_REFERRAL + P_UNABLE_TO_CONTACT
        else "never_engaged"
        if roll < P_DECLINE_AT_REFERRAL + P_UNABLE_TO_CONTACT + P_NEVER_ENGAGED
        else "engaged"
    )
    case = case_plan(rng, kind, referred_on, today, conditions, mental)
    expected = (
        "unable_to_contact"
        if kind == "unable_to_contact" and len(case.attempts) >= 3
        else "discharged"
        if case.discharge_on is not None
        else "open"
    )
    baseline = case.stars[0].taken_on if case.stars else None
    return PatientPlan(**base, expected=expected, case=case, activity=activity(activity_rng, start, today, baseline))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
