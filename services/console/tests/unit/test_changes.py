"""What changed between two moments: added, removed, changed in amount or attribution, and the net."""

from __future__ import annotations

from console_lines import PROVIDER_B, line

from console.domain.changes import changes


def test_nothing_changed_between_equal_ledgers():
    found = changes([line(1), line(2)], [line(1), line(2)])
    assert found.nothing and found.net == 0


def test_lines_added_and_removed_by_outcome_id():
    found = changes([line(1), line(2)], [line(2), line(3, amount=5000)])
    assert [x.outcome_id[-1] for x in found.added] == ["3"]
    assert [x.outcome_id[-1] for x in found.removed] == ["1"]
    assert found.net == 5000 - 20000


def test_a_line_changed_in_amount_and_attribution():
    found = changes([line(1)], [line(1, amount=15000, provider=PROVIDER_B)])
    [change] = found.changed
    assert change.what == ("amount", "payer split", "provider") and change.difference == -5000
    assert found.net == -5000 and not found.added and not found.removed
