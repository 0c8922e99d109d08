"""The plan's vocabulary: the domain's code lists, the cohort's rates, and the frozen records a plan
is made of (a patient, their case, their hospital activity). Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DEFAULT_PRACTICES = tuple(f"A85{n:03d}" for n in range(1, 18))

QUALIFYING = ("type2_diabetes", "copd", "asthma", "chd", "heart_failure", "type1_diabetes", "osteoporosis", "epilepsy")
QUALIFYING_WEIGHTS = (30, 18, 17, 14, 6, 5, 5, 5)
STAR_AREAS = (
    "lifestyle",
    "looking_after_yourself",
    "managing_symptoms",
    "work_volunteering",
    "money",
    "where_you_live",
    "family_and_friends",
    "feeling_positive",
)
CATEGORIES = (
    "long_term_condition_management",
    "mental_health",
    "physical_activity",
    "weight_management_healthy_eating",
    "nhs_services",
    "welfare_rights_advice",
    "learning_and_employment",
    "volunteering",
    "arts",
    "community_activities",
)
DISCHARGE_REASONS = (
    "goals_met",
    "self_managing",
    "disengaged",
    "moved_away",
    "deceased",
    "declined_further_support",
    "reached_time_limit",
    "other",
)
DECLINE_REASONS = ("not_interested", "not_the_right_time", "already_supported", "other")

# Outcome shares (of all referrals); the rest are engaged. Ineligible ~12% + declined ~8% = ~20%.
P_AGE_OUT = 0.06
P_MENTAL_HEALTH_ONLY = 0.06
P_DECLINE_AT_REFERRAL = 0.08
P_UNABLE_TO_CONTACT = 0.05
P_NEVER_ENGAGED = 0.04  # contacted, then disengaged before a baseline Star
P_FEMALE, P_MALE = 0.54, 0.455
DNA_RATE = 0.12
P_EXTENDED_AT_LIMIT = 0.45  # of episodes running into the two-year limit: extended (the rest end there)
FIRST_REVIEW_GAIN_MEAN, FIRST_REVIEW_GAIN_SD = 3.5, 5.0
LATER_REVIEW_GAIN_MEAN, LATER_REVIEW_GAIN_SD = 1.2, 3.5
LINKAGE_COUNTS = ((0, 0.12), (1, 0.35), (2, 0.30), (3, 0.15), (4, 0.08))  # mean 1.72
ACTIVITY = {  # type: (events per patient-quarter, cost range in pence)
    "outpatient": (0.8, (9_000, 18_000)),
    "ae": (0.25, (12_000, 30_000)),
    "admission": (0.1, (180_000, 650_000)),
}
ENGAGED_ACTIVITY_FACTOR = 0.7  # after the baseline Star, engaged patients use less secondary care


@dataclass(frozen=True)
class Referrer:
    name: str
    role: str  # gp | practice_nurse | healthcare_assistant


@dataclass(frozen=True)
class Contact:
    occurred_at: datetime  # timezone-aware
    mode: str
    duration_minutes: int
    venue: str | None
    attended: bool


@dataclass(frozen=True)
class Goal:
    description: str
    star_areas: tuple[str, ...]
    agreed_on: date  # the session where it was agreed
    target_date: date  # on or after agreed_on (may have passed by the time the goal is entered)
    changes: tuple[tuple[str, date], ...] = ()  # (status, on) after `agreed`, e.g. in_progress then achieved
    replacement_target: date | None = None  # a revised goal's replacement (agreed on the day of the revision)

    @property
    def final_status(self) -> str:  # agreed | in_progress | achieved | abandoned | revised
        return self.changes[-1][0] if self.changes else "agreed"


@dataclass(frozen=True)
class Star:
    taken_on: date
    scores: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.scores.values())


@dataclass(frozen=True)
class StarFix:
    star_index: int  # into CasePlan.stars
    kind: str  # correction | void
    reason: str
    on: date  # entered late: weeks or months after the Star was taken (possibly after the discharge)
    scores: dict[str, int] | None = None  # the corrected scores


@dataclass(frozen=True)
class Linkage:
    category: str
    pick: int  # which service of that category (the loader takes pick % number of services)
    made_on: date  # at a session (starts `suggested`)
    changes: tuple[tuple[str, date], ...] = ()  # (status, on) after `suggested`, e.g. referred then attended

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(status for status, _ in self.changes)


@dataclass(frozen=True)
class Extension:
    """Support past the two-year limit (docs/domain.md §3): a recorded reason and a new review date."""

    extended_on: date
    review_on: date
    reason: str


@dataclass(frozen=True)
class CasePlan:
    contacts: tuple[Contact, ...]  # attended or not (DNA), in time order
    attempts: tuple[datetime, ...]  # failed phone attempts, in time order
    stars: tuple[Star, ...]  # baseline first, then reviews, in date order
    goals: tuple[Goal, ...]
    linkages: tuple[Linkage, ...]
    star_fixes: tuple[StarFix, ...]
    discharge_on: date | None
    discharge_reason: str | None
    extensions: tuple[Extension, ...] = ()

    def timeline(self) -> list[tuple[datetime, str, object]]:
        """Every dated step of the case in the order it happened: contacts and attempts at their
        instant; on each day after the sessions (17:30 London onwards) the Stars, goals and their
        changes, linkages and their changes, extensions, late Star fixes, and the discharge last.
        Star fixes entered after the discharge come after it. Objects: a contact, an attempt instant,
        a Star, (goal index, Goal), (goal index, step, status), (linkage index, Linkage),
        (linkage index, step, status), an Extension, a StarFix, the discharge reason."""

        def at(day: date, minute: int) -> datetime:
            return datetime.combine(day, time(17, 30), LONDON) + timedelta(minutes=minute)

        items: list[tuple[datetime, str, object]] = []
        items += [(c.occurred_at, "contact", c) for c in self.contacts]
        items += [(a, "attempt", a) for a in self.attempts]
        items += [(at(s.taken_on, 0), "star", s) for s in self.stars]
        for i, g in enumerate(self.goals):
            items.append((at(g.agreed_on, 5), "goal", (i, g)))
            items += [(at(on, 6), "goal change", (i, j, status)) for j, (status, on) in enumerate(g.changes)]
        for i, k in enumerate(self.linkages):
            items.append((at(k.made_on, 10), "linkage", (i, k)))
            items += [(at(on, 11), "linkage change", (i, j, status)) for j, (status, on) in enumerate(k.changes)]
        items += [(at(e.extended_on, 15), "extension", e) for e in self.extensions]
        items += [(at(f.on, 20), "star fix", f) for f in self.star_fixes]
        if self.discharge_on is not None:
            items.append((at(self.discharge_on, 30), "discharge", self.discharge_reason))
        items.sort(key=lambda item: item[0])  # stable: a goal's (or linkage's) changes keep their order
        return items


@dataclass(frozen=True)
class ActivityRow:
    activity_type: str
    activity_date: date
    cost_pence: int


@dataclass(frozen=True)
class PatientPlan:
    index: int
    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    phone: str
    email: str | None
    practice_ods_code: str
    referrer: Referrer
    conditions: tuple[str, ...]
    mental_health: tuple[str, ...]
    referred_on: date
    expected: str  # ineligible | declined | unable_to_contact | discharged | open
    decline_on: date | None = None
    decline_reason: str | None = None
    case: CasePlan | None = None
    activity: tuple[ActivityRow, ...] = ()

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - before_birthday

    def referral_body(self) -> dict:
        """The body of POST /referrals (referral service's ReferralCreate)."""
        body = {
            "nhs_number": self.nhs_number,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "sex": self.sex,
            "postcode": self.postcode,
            "phone": self.phone,
            "practice_ods_code": self.practice_ods_code,
            "referrer": {"name": self.referrer.name, "role": self.referrer.role},
            "conditions": list(self.conditions),
            "mental_health": list(self.mental_health),
            "reason": "Long-term conditions, low mood and isolation: would benefit from link worker support",
            "referred_on": self.referred_on.isoformat(),
        }
        if self.email:
            body["email"] = self.email
        return body


@dataclass(frozen=True)
class Plan:
    seed: int
    years: float
    today: date
    start: date
    patients: tuple[PatientPlan, ...]
    comparison_costs: tuple[tuple[str, int], ...]  # (quarter like 2025Q3, per-head cost in pence)
    referrers: dict[str, tuple[Referrer, ...]] = field(default_factory=dict)

    def hospital_activity_csv(self) -> str:
        lines = ["nhs_number,activity_type,activity_date,cost_pence"]
        for p in self.patients:
            lines += [
                f"{p.nhs_number},{r.activity_type},{r.activity_date.isoformat()},{r.cost_pence}" for r in p.activity
            ]
        return "\n".join(lines) + "\n"

    def comparison_costs_csv(self) -> str:
        return "quarter,per_head_cost_pence\n" + "".join(f"{q},{c}\n" for q, c in self.comparison_costs)
