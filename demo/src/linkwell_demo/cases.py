"""A referral's case as planned: contacts thinning out, DNAs, failed attempts, Stars drifting upward,
goals, linkages, late Star fixes and the discharge. Pure: every choice comes from the rng passed in."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta

from contracts.calendar import add_years
from linkwell_demo.model import (
    CATEGORIES,
    DISCHARGE_REASONS,
    DNA_RATE,
    FIRST_REVIEW_GAIN_MEAN,
    FIRST_REVIEW_GAIN_SD,
    LATER_REVIEW_GAIN_MEAN,
    LATER_REVIEW_GAIN_SD,
    LINKAGE_COUNTS,
    LONDON,
    P_EXTENDED_AT_LIMIT,
    STAR_AREAS,
    CasePlan,
    Contact,
    Extension,
    Goal,
    Linkage,
    PatientPlan,
    Star,
    StarFix,
)

_GOALS = [  # (the goal in the patient's words, Star areas)
    ("Walk to the shops and back without stopping", ("lifestyle", "managing_symptoms")),
    ("Get out of the house twice a week", ("family_and_friends", "feeling_positive")),
    ("Lose a stone by the summer", ("lifestyle", "looking_after_yourself")),
    ("Sort out my benefits and stop worrying about the bills", ("money",)),
    ("Cook a proper meal at home three times a week", ("lifestyle", "looking_after_yourself")),
    ("Understand my inhalers and use them properly", ("managing_symptoms",)),
    ("Join a group and meet new people", ("family_and_friends", "feeling_positive")),
    ("Do some volunteering again", ("work_volunteering", "feeling_positive")),
    ("Get the damp in my flat looked at", ("where_you_live",)),
    ("Check my sugar levels every day", ("managing_symptoms", "looking_after_yourself")),
    ("Sleep better and feel less low", ("feeling_positive",)),
    ("Go back to the allotment", ("lifestyle", "feeling_positive")),
    ("Pay off the catalogue debt", ("money",)),
    ("Go swimming once a week", ("lifestyle",)),
    ("Look into a college course", ("work_volunteering",)),
]
_EXTENSION_REASONS = (
    "Benefits appeal still open: keep supporting until the tribunal has decided",
    "Recently bereaved: continue support through the next review",
    "Waiting for a pain clinic appointment; the linked exercise group has not started yet",
    "Housing move under way: support until settled in the new flat",
    "Mood dipped again after a hospital admission: review once back to the groups",
)


def distinct(rng: random.Random, items, weights, n: int) -> tuple[str, ...]:
    chosen: list[str] = []
    while len(chosen) < n:
        pick = rng.choices(items, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return tuple(chosen)


def _working_moment(rng: random.Random, day: date) -> tuple[date, datetime]:
    """The first working day on or after `day`, at a time in service hours (9:00-16:30, London)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    minutes = rng.randrange(9 * 60, 16 * 60 + 31, 15)
    return day, datetime.combine(day, time(minutes // 60, minutes % 60), LONDON)


def case_plan(rng: random.Random, kind: str, referred_on: date, today: date, conditions, mental) -> CasePlan:
    last_day = today - timedelta(days=1)
    contacts: list[Contact] = []
    attempts: list[datetime] = []
    day = referred_on + timedelta(days=rng.randint(1, 3))  # phoned within about 2 working days

    if kind == "unable_to_contact":
        for gap in (0, rng.randint(7, 12), rng.randint(16, 22)):  # three tries spanning >= 28 days
            day += timedelta(days=gap)
            day, when = _working_moment(rng, day)
            attempts.append(when)
        if (attempts[-1].date() - attempts[0].date()).days < 28:
            day, when = _working_moment(rng, attempts[0].date() + timedelta(days=29))
            attempts[-1] = when
        return _trim(CasePlan((), tuple(attempts), (), (), (), (), None, None), last_day)

    while rng.random() < 0.3:  # some first calls are not answered
        day, when = _working_moment(rng, day)
        attempts.append(when)
        day += timedelta(days=rng.randint(1, 3))
    day, when = _working_moment(rng, day)
    contacts.append(Contact(when, "telephone", rng.choice((10, 15, 20)), None, True))
    first_contact_on = day

    if kind == "never_engaged":
        for _ in range(rng.randint(1, 2)):
            day, when = _working_moment(rng, day + timedelta(days=rng.randint(6, 10)))
            contacts.append(Contact(when, "face_to_face", 45, rng.choice(("gp_practice", "cafe")), False))
        discharge = day + timedelta(days=rng.randint(21, 42))
        return _trim(CasePlan(tuple(contacts), tuple(attempts), (), (), (), (), discharge, "disengaged"), last_day)

    # Sessions: weekly for two months, fortnightly to four, monthly to eight, then every six weeks.
    # The case opens on its referral date (allocated then), so its two-year limit is two years on
    # (docs/domain.md §3). An episode running past it either ends there (`reached_time_limit`) or is extended
    # with a reason and a review date, decided at a session shortly before the limit.
    duration_days = _episode_days(rng)
    end = first_contact_on + timedelta(days=duration_days)
    limit = add_years(referred_on, 2)
    at_limit = end >= limit
    extend = at_limit and rng.random() < P_EXTENDED_AT_LIMIT
    if at_limit and not extend:
        end = limit - timedelta(days=rng.randint(0, 10))
    session_day = first_contact_on + timedelta(days=rng.randint(3, 8))
    baseline_on = None
    while session_day <= min(end, last_day):
        elapsed = (session_day - first_contact_on).days
        session_day, when = _working_moment(rng, session_day)
        if session_day > min(end, last_day):
            break
        attended = baseline_on is None or rng.random() >= DNA_RATE
        mode = (
            "face_to_face"
            if baseline_on is None or rng.random() < 0.7
            else rng.choice(("telephone", "telephone", "text", "email"))
        )
        venue = rng.choice(("gp_practice", "community_centre", "cafe", "home")) if mode == "face_to_face" else None
        contacts.append(
            Contact(
                when,
                mode,
                rng.choice((30, 45, 60, 60, 90)) if mode == "face_to_face" else rng.choice((10, 15, 20)),
                venue,
                attended,
            )
        )
        if baseline_on is None and attended:
            baseline_on = session_day
        gap = 7 if elapsed < 60 else 14 if elapsed < 120 else 30 if elapsed < 240 else 42
        session_day += timedelta(days=gap + rng.randint(-2, 3))
    if baseline_on is None:  # no session before today (a very recent referral): contacted only
        return _trim(CasePlan(tuple(contacts), tuple(attempts), (), (), (), (), None, None), last_day)

    stars = _stars(rng, baseline_on, min(end, last_day))
    for s in stars[1:]:  # a review is a session
        if not any(c.occurred_at.date() == s.taken_on and c.attended for c in contacts):
            _, when = _working_moment(rng, s.taken_on)
            contacts.append(Contact(when, "face_to_face", 60, "community_centre", True))
    contacts.sort(key=lambda c: c.occurred_at)
    extensions: tuple[Extension, ...] = ()
    if extend:
        extension = _extension(rng, contacts, limit, last_day)
        if extension is not None:
            extensions = (extension,)
            end = min(end, extension.review_on)  # discharged at the review at the latest
            contacts = [c for c in contacts if c.occurred_at.date() <= min(end, last_day)]
            stars = [s for s in stars if s.taken_on <= min(end, last_day)]
    until = min(end, last_day)
    closing = end <= last_day  # discharged: what is still pending is settled by the last session
    sessions = sorted(
        {c.occurred_at.date() for c in contacts if c.attended and baseline_on <= c.occurred_at.date() <= until}
    )
    goals = _goals(rng, sessions, until, closing)
    linkages = _linkages(rng, conditions, mental, sessions, until, closing)
    fixes = _star_fixes(rng, stars, last_day)
    discharge_on, reason = None, None
    if closing:
        last_recorded = max([c.occurred_at.date() for c in contacts] + [s.taken_on for s in stars])
        discharge_on = min(max(end, last_recorded), last_day)
        reason = (
            "reached_time_limit"
            if at_limit and not extensions
            else rng.choices(
                (
                    "goals_met",
                    "self_managing",
                    "disengaged",
                    "moved_away",
                    "deceased",
                    "declined_further_support",
                    "other",
                ),
                (30, 24, 20, 7, 3, 10, 6),
            )[0]
        )
    return CasePlan(
        tuple(contacts),
        tuple(attempts),
        tuple(stars),
        tuple(goals),
        tuple(linkages),
        tuple(fixes),
        discharge_on,
        reason,
        extensions,
    )


def _extension(rng: random.Random, contacts: list[Contact], limit: date, last_day: date) -> Extension | None:
    """Decided at the last session in the two months before the limit (or a working day then), with
    a review three to six months on; none yet if that day has not come."""
    window = [
        c.occurred_at.date()
        for c in contacts
        if c.attended and limit - timedelta(days=60) <= c.occurred_at.date() < limit
    ]
    on = window[-1] if window else _working_moment(rng, limit - timedelta(days=rng.randint(14, 30)))[0]
    if on > last_day or on >= limit:
        return None
    review_on = on + timedelta(days=rng.choice((91, 122, 152, 183)))
    return Extension(on, review_on, rng.choice(_EXTENSION_REASONS))


def _trim(case: CasePlan, last_day: date) -> CasePlan:
    """Drop whatever would fall after `last_day` (a recent referral's case has only just begun)."""
    contacts = tuple(c for c in case.contacts if c.occurred_at.date() <= last_day)
    attempts = tuple(a for a in case.attempts if a.date() <= last_day)
    discharge = case.discharge_on if case.discharge_on is not None and case.discharge_on <= last_day else None
    return CasePlan(
        contacts,
        attempts,
        case.stars,
        case.goals,
        case.linkages,
        case.star_fixes,
        discharge,
        case.discharge_reason if discharge else None,
        case.extensions,
    )


def _episode_days(rng: random.Random) -> int:
    """How long support would last after the first contact (median about a year); the two-year limit
    ends or extends the longest (see case_plan)."""
    return int(min(900, max(90, rng.lognormvariate(math.log(330), 0.5))))


def _stars(rng: random.Random, baseline_on: date, until: date) -> list[Star]:
    level = rng.gauss(4.4, 0.9)  # most areas "finding out" at the start (total about 35)
    scores = {a: _clamp(round(rng.gauss(level, 1.4))) for a in STAR_AREAS}
    stars = [Star(baseline_on, scores)]
    taken = baseline_on
    review = 0
    while True:
        taken = taken + timedelta(days=182 + rng.randint(-12, 16))
        while taken.weekday() >= 5:
            taken += timedelta(days=1)
        if taken > until:
            return stars
        mean, sd = (
            (FIRST_REVIEW_GAIN_MEAN, FIRST_REVIEW_GAIN_SD)
            if review == 0
            else (LATER_REVIEW_GAIN_MEAN, LATER_REVIEW_GAIN_SD)
        )
        scores = _moved(rng, scores, round(rng.gauss(mean, sd)))
        stars.append(Star(taken, scores))
        review += 1


def _moved(rng: random.Random, scores: dict[str, int], delta: int) -> dict[str, int]:
    """Move the total by `delta` (as far as 1-10 per area allows), a point at a time."""
    out = dict(scores)
    step = 1 if delta > 0 else -1
    for _ in range(abs(delta)):
        movable = [a for a in STAR_AREAS if 1 <= out[a] + step <= 10]
        if not movable:
            break
        out[rng.choice(movable)] += step
    return out


def _clamp(value: int) -> int:
    return max(1, min(10, value))


def _session_on_or_after(sessions: list[date], day: date) -> date | None:
    return next((s for s in sessions if s >= day), None)


def _dated(sessions: list[date], wanted: date, after: date, until: date, closing: bool) -> date | None:
    """The session on or after `wanted` (and `after`) by `until`; when the case is closing and no session
    is left, the last one (settled at the end); else None (still pending)."""
    day = _session_on_or_after(sessions, max(wanted, after))
    if day is not None and day <= until:
        return day
    if closing and sessions and sessions[-1] >= after:
        return sessions[-1]
    return None


def _goals(rng: random.Random, sessions: list[date], until: date, closing: bool) -> list[Goal]:
    """1-3 goals, agreed at the baseline session or one of the next few; changes at later sessions."""
    goals = []
    for description, areas in rng.sample(_GOALS, rng.choices((1, 2, 3), (0.35, 0.45, 0.20))[0]):
        agreed_on = sessions[min(len(sessions) - 1, 0 if not goals else rng.choice((0, 1, 2, 3)))]
        target = agreed_on + timedelta(days=rng.randint(60, 240))
        outcome = rng.choices(("achieved", "in_progress", "agreed", "abandoned", "revised"), (45, 20, 8, 12, 15))[0]
        changes: list[tuple[str, date]] = []
        replacement_target = None
        if outcome != "agreed":
            started = _dated(sessions, agreed_on + timedelta(days=rng.randint(5, 35)), agreed_on, until, closing)
            if started is not None:
                changes.append(("in_progress", started))
                if outcome != "in_progress":
                    wanted = (
                        target + timedelta(days=rng.randint(-45, 30))
                        if outcome == "achieved"
                        else started + timedelta(days=rng.randint(30, 150))
                    )
                    ended = _dated(sessions, wanted, started, until, closing)
                    if ended is not None:
                        changes.append((outcome, ended))
                        if outcome == "revised":
                            replacement_target = ended + timedelta(days=rng.randint(60, 180))
        goals.append(Goal(description, areas, agreed_on, target, tuple(changes), replacement_target))
    return goals


def _linkages(
    rng: random.Random, conditions, mental, sessions: list[date], until: date, closing: bool
) -> list[Linkage]:
    """0-4 linkages made at the first sessions; the service's answer within weeks (any day)."""
    n = rng.choices([c for c, _ in LINKAGE_COUNTS], [w for _, w in LINKAGE_COUNTS])[0]
    weights = dict.fromkeys(CATEGORIES, 1.0)
    weights["physical_activity"] += 2.5
    weights["community_activities"] += 1.5
    weights["welfare_rights_advice"] += 1.5
    if set(conditions) & {"type2_diabetes", "copd", "asthma", "chd", "heart_failure"}:
        weights["long_term_condition_management"] += 1.5
        weights["weight_management_healthy_eating"] += 1.0
    if mental:
        weights["mental_health"] += 2.0
    chosen = distinct(rng, CATEGORIES, [weights[c] for c in CATEGORIES], n)
    out = []
    for category in chosen:
        statuses = rng.choices(
            (
                ("referred", "attended"),
                ("referred", "did_not_start"),
                ("referred", "declined"),
                ("declined",),
                ("referred",),
                (),
            ),
            (55, 12, 8, 8, 10, 7),
        )[0]
        made_on = sessions[min(len(sessions) - 1, rng.randrange(6))]
        changes: list[tuple[str, date]] = []
        day = made_on
        for status in statuses:
            day = day + timedelta(days=rng.randint(2, 14) if status == "referred" else rng.randint(14, 60))
            if day > until:
                if not closing:
                    break  # not happened yet
                day = max(until, changes[-1][1] if changes else made_on)
            changes.append((status, day))
        out.append(Linkage(category, rng.randrange(1000), made_on, tuple(changes)))
    return out


def _star_fixes(rng: random.Random, stars: list[Star], last_day: date) -> list[StarFix]:
    """A few corrections and voids, entered late: two weeks to five months after the Star."""
    fixes = []
    for i, star in enumerate(stars):
        roll = rng.random()
        on = min(star.taken_on + timedelta(days=rng.randint(14, 150)), last_day)
        if roll < 0.05:
            area = rng.choice(STAR_AREAS)
            fixed = dict(star.scores)
            fixed[area] = _clamp(fixed[area] + rng.choice((-2, -1, 1, 2)))
            if fixed != star.scores:
                fixes.append(StarFix(i, "correction", f"typing error in {area.replace('_', ' ')}", on, fixed))
        elif roll < 0.07 and i > 0:
            fixes.append(StarFix(i, "void", "recorded on the wrong patient's case", on))
    return fixes


def every_discharge_reason(patients: list[PatientPlan], start: date, today: date) -> list[PatientPlan]:
    """Make sure every discharge reason occurs (when the cohort is big enough): the longest open or
    discharged episodes take the missing ones, `reached_time_limit` only when two years have passed."""
    present = {p.case.discharge_reason for p in patients if p.case and p.case.discharge_reason}
    missing = [r for r in DISCHARGE_REASONS if r not in present]
    if not missing:
        return patients
    out = list(patients)
    candidates = sorted((p for p in patients if p.case and p.case.stars), key=lambda p: p.case.contacts[0].occurred_at)
    used: set[int] = set()
    for reason in missing:
        for p in candidates:
            if p.index in used:
                continue
            case = p.case
            if reason == "reached_time_limit":
                # Near or at the two-year limit by yesterday (the period may be only two years long).
                on = min(add_years(p.referred_on, 2), today - timedelta(days=1))
                if (on - p.referred_on).days < 700 or case.extensions:
                    continue
                case = _cut(case, on, reason)
            elif case.discharge_on is not None:
                case = CasePlan(
                    case.contacts,
                    case.attempts,
                    case.stars,
                    case.goals,
                    case.linkages,
                    case.star_fixes,
                    case.discharge_on,
                    reason,
                    case.extensions,
                )
            else:
                continue
            out[p.index] = _replace_case(p, case)
            used.add(p.index)
            break
    return out


def _cut(case: CasePlan, on: date, reason: str) -> CasePlan:
    """The case discharged on `on`: what was planned after it did not happen (late Star fixes of the
    Stars left still do)."""
    contacts = tuple(c for c in case.contacts if c.occurred_at.date() <= on)
    stars = tuple(s for s in case.stars if s.taken_on <= on)
    fixes = tuple(f for f in case.star_fixes if f.star_index < len(stars))
    goals = []
    for g in case.goals:
        if g.agreed_on <= on:
            changes = tuple((status, day) for status, day in g.changes if day <= on)
            revised = bool(changes) and changes[-1][0] == "revised"
            goals.append(
                Goal(
                    g.description,
                    g.star_areas,
                    g.agreed_on,
                    g.target_date,
                    changes,
                    g.replacement_target if revised else None,
                )
            )
    linkages = tuple(
        Linkage(k.category, k.pick, k.made_on, tuple(c for c in k.changes if c[1] <= on))
        for k in case.linkages
        if k.made_on <= on
    )
    return CasePlan(
        contacts,
        case.attempts,
        stars,
        tuple(goals),
        linkages,
        fixes,
        on,
        reason,
        tuple(e for e in case.extensions if e.extended_on <= on),
    )


def _replace_case(p: PatientPlan, case: CasePlan) -> PatientPlan:
    fields = {k: getattr(p, k) for k in PatientPlan.__dataclass_fields__}
    fields.update(case=case, expected="discharged" if case.discharge_on else "open")
    return PatientPlan(**fields)
