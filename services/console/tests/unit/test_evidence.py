"""A line's evidence: a timeline in the order things happened, and why the line is payable in words."""

from __future__ import annotations

from console.domain.evidence import timeline, why_payable


def _star(star_id: str, taken_on: str, total: int, recorded_at: str, event_type: str = "WellbeingStarRecorded") -> dict:
    payload = {"star_id": star_id, "total": total}
    payload |= {"taken_on": taken_on} if event_type == "WellbeingStarRecorded" else {"corrected_on": taken_on}
    return {
        "id": star_id + recorded_at,
        "kind": "event",
        "event_type": event_type,
        "occurred_at": recorded_at,
        "recorded_at": recorded_at,
        "payload": payload,
    }


LINE = {"outcome_type": "W", "achieved_on": "2019-06-03", "rulebook": "w2w-2015@1"}


def test_why_a_w_line_is_payable_reads_like_finance_would_say_it():
    items = [
        _star("b", "2019-01-14", 31, "2019-01-14T10:00:00+00:00"),
        _star("r", "2019-06-03", 34, "2019-06-03T10:00:00+00:00"),
    ]
    assert (
        why_payable(LINE, items)
        == "review of 2019-06-03 scored 34, baseline 31 (taken 2019-01-14), 140 days after the baseline"
    )


def test_corrections_in_the_evidence_are_applied_in_the_order_recorded():
    items = [
        _star("b", "2019-01-14", 31, "2019-01-14T10:00:00+00:00"),
        _star("r", "2019-06-03", 40, "2019-06-03T10:00:00+00:00"),
        _star("r", "2019-06-05", 34, "2019-06-05T10:00:00+00:00", event_type="WellbeingStarCorrected"),
    ]
    assert "scored 34, baseline 31" in why_payable(LINE, items)


def test_the_timeline_is_in_the_order_things_happened():
    items = [
        _star("r", "2019-06-03", 34, "2019-06-03T10:00:00+00:00"),
        _star("b", "2019-01-14", 31, "2019-01-14T10:00:00+00:00"),
    ]
    moments = timeline(items)
    assert [m.detail for m in moments] == ["total 31 (taken on 2019-01-14)", "total 34 (taken on 2019-06-03)"]
    assert moments[0].what == "Wellbeing star recorded"
