"""The distribution of Star change per episode: baseline to latest, voids and corrections as known at
a moment, baselines alone counted apart, and the bins (two points wide, edges at 0 and +2)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reporting_builders import AREAS, PROVIDER_A, PROVIDER_B, CaseFacts

from reporting.adapters.star_facts import KINDS
from reporting.domain.facts import Fact, known_by
from reporting.domain.star_change import StarFact, binned, distribution, episode_changes

FAR = date(2030, 1, 1)
LATER = datetime(2030, 1, 1, tzinfo=UTC)


def star_facts(facts: list[Fact], known_at: datetime = LATER) -> list[StarFact]:
    """As the adapter reads them: the kinds it selects, recorded by `known_at`, in recorded order."""
    return [
        StarFact(
            KINDS[f.event_type],
            f.case_id,
            f.payload.get("star_id"),
            date.fromisoformat(day) if (day := f.payload.get("taken_on") or f.payload.get("allocated_on")) else None,
            f.payload.get("scores"),
            f.payload.get("provider_id"),
        )
        for f in sorted(known_by(facts, known_at), key=lambda f: (f.case_id, f.recorded_at))
        if f.event_type in KINDS
    ]


def case_with(*totals: int, provider=PROVIDER_A) -> CaseFacts:
    case = CaseFacts(provider_id=provider)
    case.opened(date(2024, 1, 2))
    for month, total in enumerate(totals, start=1):
        case.star(date(2024, month, 10), total)
    return case


def changes(*cases: CaseFacts, as_of: date = FAR, known_at: datetime = LATER):
    return episode_changes(star_facts([f for c in cases for f in c.facts], known_at), as_of)


def counts(bins) -> dict[int, int]:
    return {b.low: b.count for b in bins if b.count}


def test_the_change_is_from_the_baseline_to_the_latest_star_in_total_and_per_area():
    [change] = changes(case_with(30, 50, 41))
    assert change.total == 11 and sum(change.areas.values()) == 11 and set(change.areas) == set(AREAS)
    assert change.provider_id == str(PROVIDER_A)


def test_a_baseline_alone_has_no_change_and_is_counted_apart_from_the_bins():
    found = distribution(changes(case_with(30), case_with(30, 34)), AREAS)
    assert (found.episodes, found.baseline_only, found.reviewed) == (2, 1, 1)
    assert sum(b.count for b in found.total_bins) == 1 and counts(found.total_bins) == {4: 1}


def test_a_voided_star_does_not_count_from_when_the_void_is_recorded():
    case = case_with(30, 36, 44)
    latest = next(f.payload["star_id"] for f in reversed(case.facts) if f.event_type == "WellbeingStarRecorded")
    voided_at = datetime(2024, 6, 1, 12, tzinfo=UTC)
    case.voided(latest, voided_at)
    assert [c.total for c in changes(case, known_at=datetime(2024, 5, 31, tzinfo=UTC))] == [14]
    assert [c.total for c in changes(case)] == [6]


def test_voiding_the_baseline_makes_the_next_star_the_baseline():
    case = case_with(20, 30, 33)
    case.voided(next(f.payload["star_id"] for f in case.facts if f.event_type == "WellbeingStarRecorded"), LATER)
    assert [c.total for c in changes(case)] == [3]


def test_a_correction_counts_only_once_it_is_recorded():
    case = case_with(30, 40)
    review = [f.payload["star_id"] for f in case.facts if f.event_type == "WellbeingStarRecorded"][-1]
    case.corrected(review, 28, datetime(2024, 9, 1, 12, tzinfo=UTC))
    assert [c.total for c in changes(case, known_at=datetime(2024, 8, 31, tzinfo=UTC))] == [10]
    assert [c.total for c in changes(case)] == [-2]


def test_stars_taken_after_the_effective_date_do_not_count():
    case = case_with(30, 34, 50)  # taken on 10 January, February, March 2024
    assert [c.total for c in changes(case, as_of=date(2024, 2, 29))] == [4]
    assert changes(case, as_of=date(2024, 1, 9)) == []


def test_each_episode_belongs_to_the_provider_holding_it_on_its_latest_stars_date():
    a, b = case_with(30, 32), case_with(30, 33, provider=PROVIDER_B)
    assert {c.provider_id: c.total for c in changes(a, b)} == {str(PROVIDER_A): 2, str(PROVIDER_B): 3}


def test_bins_are_two_points_wide_with_edges_at_zero_and_two_and_cover_every_possible_change():
    bins = binned([-72, -3, -1, 0, 1, 2, 3, 72], 72, 2)
    assert (bins[0].low, bins[0].high, bins[-1].low) == (-72, -71, 72) and len(bins) == 73
    assert counts(bins) == {-72: 1, -4: 1, -2: 1, 0: 2, 2: 2, 72: 1}
    assert next(b for b in bins if b.low == 0).high == 1  # "up by less than 2" is one whole bar


def test_per_area_every_point_is_a_bin_from_minus_nine_to_plus_nine():
    found = distribution(changes(case_with(8, 80), case_with(80, 8)), AREAS)
    for area in AREAS:
        bins = found.area_bins[area]
        assert [b.low for b in bins] == list(range(-9, 10)) and counts(bins) == {-9: 1, 9: 1}
    assert counts(found.total_bins) == {-72: 1, 72: 1} and found.mean == 0 and found.median == 0


def test_no_episodes_give_empty_bins_and_no_mean():
    found = distribution([], AREAS)
    assert (found.episodes, found.reviewed, found.mean, found.median) == (0, 0, None, None)
    assert counts(found.total_bins) == {}
