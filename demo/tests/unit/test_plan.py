"""The plan is pure and deterministic: same seed, size, years and today -> the same programme."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta

import pytest

from linkwell_demo.plan import (
    CATEGORIES,
    DISCHARGE_REASONS,
    QUALIFYING,
    STAR_AREAS,
    build_plan,
    is_valid_nhs_number,
    nhs_check_digit,
)

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def plan():
    return build_plan(7, 300, 2, today=TODAY)


@pytest.fixture(scope="module")
def big():
    return build_plan(11, 2000, 2, today=TODAY)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another(plan):
    assert build_plan(7, 300, 2, today=TODAY) == plan
    assert build_plan(8, 300, 2, today=TODAY) != plan


def test_a_patient_does_not_depend_on_the_cohort_size(plan):
    small = build_plan(7, 20, 2, today=TODAY)
    assert [p.nhs_number for p in small.patients] == [p.nhs_number for p in plan.patients[:20]]


def test_nhs_numbers_are_valid_and_unique(plan):
    numbers = [p.nhs_number for p in plan.patients]
    assert all(is_valid_nhs_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert nhs_check_digit("943476591") == 9  # the NHS's own worked example: 943 476 5919


def test_ages_women_and_conditions_follow_the_cohort(big):
    ages = [p.age_on(p.referred_on) for p in big.patients]
    in_band = [a for a in ages if 40 <= a <= 74]
    assert 0.85 <= len(in_band) / len(ages) <= 0.97  # a few referred outside the band
    assert 57.5 <= statistics.mean(in_band) <= 60.5
    women = sum(p.sex == "female" for p in big.patients) / len(big.patients)
    assert 0.51 <= women <= 0.57
    for p in big.patients:
        assert len(p.conditions) <= 3 and set(p.conditions) <= set(QUALIFYING)
        assert p.conditions or p.mental_health  # anxiety/depression only is referred, and is ineligible
        assert p.date_of_birth < p.referred_on
    assert sum(bool(p.mental_health) for p in big.patients) / len(big.patients) > 0.4


def test_about_a_fifth_are_ineligible_or_declined(big):
    expected = Counter(p.expected for p in big.patients)
    not_served = expected["ineligible"] + expected["declined"]
    in_case_declines = sum(1 for p in big.patients if p.case and p.case.discharge_reason == "declined_further_support")
    assert 0.15 <= (not_served + in_case_declines) / len(big.patients) <= 0.25
    for p in big.patients:
        if p.expected == "ineligible":
            assert not (40 <= p.age_on(p.referred_on) <= 74) or not p.conditions


def test_referrals_rise_over_the_period(big):
    quarter = (big.today - big.start) / 4
    counts = Counter(min(3, int((p.referred_on - big.start) / quarter)) for p in big.patients)
    assert counts[0] < counts[1] < counts[3] and counts[2] < counts[3]
    assert counts[3] > 1.5 * counts[0]
    assert counts[0] + counts[1] < 0.45 * len(big.patients)


def test_every_date_is_in_the_past_and_in_lifecycle_order(big):
    for p in big.patients:
        assert big.start <= p.referred_on < TODAY
        if p.decline_on:
            assert p.referred_on <= p.decline_on < TODAY
        assert all(big.start <= r.activity_date < TODAY for r in p.activity)
        if p.case is None:
            continue
        timeline = p.case.timeline()
        days = [when.date() for when, _, _ in timeline]
        assert days == sorted(days)
        assert all(p.referred_on < d < TODAY for d in days)
        assert all(when.tzinfo is not None for when, _, _ in timeline)
        attended = [c.occurred_at.date() for c in p.case.contacts if c.attended]
        if p.case.stars:
            assert attended and p.case.stars[0].taken_on >= attended[0]  # baseline after the first session
            taken = [s.taken_on for s in p.case.stars]
            assert len(set(taken)) == len(taken)
            assert all(150 <= (b - a).days <= 220 for a, b in zip(taken, taken[1:]))  # noqa: B905, RUF007 - about six-monthly
        if p.case.discharge_on:  # only late Star fixes may be entered after the discharge
            assert all(d <= p.case.discharge_on for (when, kind, _), d in zip(timeline, days) if kind != "star fix")  # noqa: B905
            assert timeline[-1][1] in ("discharge", "star fix")
        for c in p.case.contacts:
            local = c.occurred_at
            assert local.weekday() < 5 and 9 <= local.hour < 17  # service hours, London time


def test_unable_to_contact_is_three_failed_attempts_over_four_weeks(big):
    cases = [p.case for p in big.patients if p.expected == "unable_to_contact"]
    assert cases
    for case in cases:
        assert not case.contacts and len(case.attempts) >= 3
        assert (case.attempts[-1].date() - case.attempts[0].date()).days >= 28


def test_contacts_thin_out_and_some_are_missed(big):
    early = late = 0
    for p in big.patients:
        if p.case and p.case.stars and p.case.contacts:
            first = p.case.contacts[0].occurred_at.date()
            early += sum((c.occurred_at.date() - first).days < 90 for c in p.case.contacts)
            late += sum(270 <= (c.occurred_at.date() - first).days < 360 for c in p.case.contacts)
    assert early > 2 * late
    contacts = [c for p in big.patients if p.case for c in p.case.contacts]
    assert 0.05 < sum(not c.attended for c in contacts) / len(contacts) < 0.2


def test_reviews_drift_upward_on_average_with_real_spread(big):
    gains = [p.case.stars[1].total - p.case.stars[0].total for p in big.patients if p.case and len(p.case.stars) > 1]
    assert len(gains) > 100
    assert 2.5 <= statistics.mean(gains) <= 4.5
    assert sum(g < 0 for g in gains) > 0.1 * len(gains)  # some are worse
    for p in big.patients:
        for star in p.case.stars if p.case else ():
            assert set(star.scores) == set(STAR_AREAS)
            assert all(1 <= v <= 10 for v in star.scores.values())


def test_linkages_goals_fixes_and_discharges(big, plan):
    engaged = [p.case for p in big.patients if p.case and p.case.stars]
    per_patient = sum(len(c.linkages) for c in engaged) / len(engaged)
    assert 1.5 <= per_patient <= 1.9
    assert {k.category for c in engaged for k in c.linkages} == set(CATEGORIES)
    assert all(1 <= len(c.goals) <= 3 for c in engaged)
    fixes = Counter(f.kind for c in engaged for f in c.star_fixes)
    assert fixes["correction"] > 0 and fixes["void"] > 0
    for c in engaged:
        for f in c.star_fixes:
            assert f.star_index < len(c.stars)
            if f.kind == "correction":
                assert f.scores != c.stars[f.star_index].scores
    reasons = {p.case.discharge_reason for p in plan.patients if p.case and p.case.discharge_on}
    assert reasons == set(DISCHARGE_REASONS)


def test_goals_and_linkages_are_dated_at_sessions_and_change_in_order(big):
    targets_passed = 0
    for p in big.patients:
        case = p.case
        if not case or not case.stars:
            continue
        attended = {c.occurred_at.date() for c in case.contacts if c.attended}
        first = min(attended)
        end = case.discharge_on or TODAY - timedelta(days=1)
        for g in case.goals:
            assert g.agreed_on in attended and g.agreed_on >= case.stars[0].taken_on
            assert g.target_date >= g.agreed_on
            targets_passed += g.target_date < TODAY
            days = [g.agreed_on] + [on for _, on in g.changes]
            assert days == sorted(days) and days[-1] <= end
            assert [s for s, _ in g.changes] in (
                [],
                ["in_progress"],
                ["in_progress", "achieved"],
                ["in_progress", "abandoned"],
                ["in_progress", "revised"],
            )
            assert (g.replacement_target is not None) == (g.final_status == "revised")
            if g.replacement_target:
                assert g.replacement_target >= g.changes[-1][1]
        for k in case.linkages:
            days = [k.made_on] + [on for _, on in k.changes]
            assert first <= k.made_on and days == sorted(days) and days[-1] <= end
    assert targets_passed > 100  # kept, though passed by now


def test_late_star_fixes_are_dated_after_their_star(big):
    fixes = [(p.case.stars[f.star_index], f) for p in big.patients if p.case for f in p.case.star_fixes]
    assert fixes
    assert all(
        star.taken_on + timedelta(days=14) <= f.on < TODAY or f.on == TODAY - timedelta(days=1) for star, f in fixes
    )


def test_cases_past_the_two_year_limit_are_extended_or_end_there():
    plan = build_plan(7, 1500, 3, today=TODAY)
    extended = ended = 0
    for p in plan.patients:
        case = p.case
        if not case:
            continue
        limit = (
            p.referred_on.replace(year=p.referred_on.year + 2)
            if (p.referred_on.month, p.referred_on.day) != (2, 29)
            else date(p.referred_on.year + 2, 2, 28)
        )
        days = [when.date() for when, kind, _ in case.timeline() if kind not in ("star fix", "discharge")]
        for e in case.extensions:
            extended += 1
            assert limit - timedelta(days=60) <= e.extended_on < limit and e.extended_on < TODAY
            assert e.review_on > limit and e.reason
            assert case.discharge_on is None or case.discharge_on <= e.review_on
        if not case.extensions and days and max(days) >= limit:
            raise AssertionError(f"patient {p.index}: past the two-year limit without an extension")
        if not case.extensions and case.discharge_on:
            assert case.discharge_on <= limit
        ended += case.discharge_reason == "reached_time_limit"
    assert extended >= 3 and ended >= 3


def test_commissioner_csvs_have_the_expected_columns(plan):
    activity = plan.hospital_activity_csv().splitlines()
    assert activity[0] == "nhs_number,activity_type,activity_date,cost_pence"
    assert len(activity) - 1 == sum(len(p.activity) for p in plan.patients) > len(plan.patients)
    for line in activity[1:]:
        nhs, kind, day, cost = line.split(",")
        assert is_valid_nhs_number(nhs) and kind in ("admission", "ae", "outpatient")
        assert date.fromisoformat(day) < TODAY and int(cost) > 0
    costs = plan.comparison_costs_csv().splitlines()
    assert costs[0] == "quarter,per_head_cost_pence"
    quarters = [line.split(",")[0] for line in costs[1:]]
    assert quarters == sorted(quarters) and len(quarters) == 8  # the whole quarters of two years that have ended
    assert all(int(line.split(",")[1]) > 0 for line in costs[1:])


def test_referral_bodies_carry_the_referral_api_fields(plan):
    body = plan.patients[0].referral_body()
    assert set(body) >= {
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "phone",
        "practice_ods_code",
        "referrer",
        "conditions",
        "mental_health",
        "referred_on",
    }
    assert body["referrer"]["role"] in ("gp", "practice_nurse", "healthcare_assistant")
    assert all(p.postcode.startswith("NE") for p in plan.patients)
    assert {p.practice_ods_code for p in plan.patients} == {f"A85{n:03d}" for n in range(1, 18)}


def test_a_plan_can_be_built_for_other_sizes_and_practices():
    plan = build_plan(3, 5, 1, today=TODAY, practices=("B1",))
    assert len(plan.patients) == 5 and {p.practice_ods_code for p in plan.patients} == {"B1"}
    assert all(p.referred_on >= TODAY - timedelta(days=366) for p in plan.patients)
    assert build_plan(3, 0, 1, today=TODAY).patients == ()
