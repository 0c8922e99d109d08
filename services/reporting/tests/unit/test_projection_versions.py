"""The materialised ledger's versions (domain/projection.py): maximal intervals per item on the
knowledge axis, and a recompute from a moment that keeps what was before it."""

from datetime import UTC, datetime

from reporting.domain.projection import Version, merge_versions

T1, T2, T3, T4 = (datetime(2020, 1, d, tzinfo=UTC) for d in (1, 2, 3, 4))


def test_snapshots_become_maximal_intervals_per_item():
    snapshots = [(T1, {"a": {"v": 1}}), (T2, {"a": {"v": 1}, "b": {"v": 2}}), (T3, {"b": {"v": 3}})]
    assert merge_versions([], snapshots, T1) == [
        Version("a", {"v": 1}, T1, T3),
        Version("b", {"v": 2}, T2, T3),
        Version("b", {"v": 3}, T3, None),
    ]


def test_a_recompute_from_a_moment_keeps_the_past_and_joins_an_unchanged_item():
    stored = [Version("a", {"v": 1}, T1, None), Version("b", {"v": 2}, T1, T3)]
    merged = merge_versions(stored, [(T2, {"a": {"v": 1}}), (T4, {"a": {"v": 5}})], T2)
    assert merged == [
        Version("a", {"v": 1}, T1, T4),
        Version("a", {"v": 5}, T4, None),
        Version("b", {"v": 2}, T1, T2),
    ]


def test_a_late_input_gives_the_same_versions_as_knowing_it_from_the_start():
    full = [(T1, {"a": {"v": 1}}), (T2, {"a": {"v": 2}}), (T3, {"a": {"v": 2}, "c": {"v": 0}})]
    at_once = merge_versions([], full, T1)
    first = merge_versions([], [full[0], (T3, {"a": {"v": 1}, "c": {"v": 0}})], T1)  # T2's input not yet there
    stored_from_t2 = [v for v in first if v.valid_to is None or v.valid_to >= T2]
    again = [v for v in first if v not in stored_from_t2] + merge_versions(stored_from_t2, full[1:], T2)
    assert sorted(again, key=lambda v: (v.item, v.valid_from)) == at_once
