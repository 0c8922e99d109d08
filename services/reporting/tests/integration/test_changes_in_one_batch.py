"""Star corrections/voids and linkage updates that follow one another in a batch are applied one
statement per run of a kind: the last change of each Star and linkage must still be the one kept."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

from contracts.engagement import LinkageMade, LinkageUpdated


def _linkage(case, linkage_id, day: date) -> None:
    case._add(
        LinkageMade,
        day,
        linkage_id=linkage_id,
        service_id=uuid.uuid4(),
        category="arts",
        made_on=day,
    )


def _moved(case, linkage_id, day: date, from_status: str, to_status: str) -> None:
    case._add(LinkageUpdated, day, linkage_id=linkage_id, from_status=from_status, to_status=to_status, on=day)


def test_the_last_of_consecutive_changes_to_a_star_or_linkage_is_kept(settings):
    case, baseline = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    review = case.star(date(2025, 6, 10), 44)
    first, second = uuid.uuid4(), uuid.uuid4()
    _linkage(case, first, date(2025, 2, 1))
    _linkage(case, second, date(2025, 2, 2))
    _moved(case, first, date(2025, 2, 3), "suggested", "referred")
    _moved(case, second, date(2025, 2, 3), "suggested", "declined")
    _moved(case, first, date(2025, 2, 4), "referred", "attended")
    case.corrected(review, 46, datetime(2025, 7, 1, tzinfo=UTC))
    case.corrected(baseline, 38, datetime(2025, 7, 2, tzinfo=UTC))
    case.corrected(review, 45, datetime(2025, 7, 3, tzinfo=UTC))
    case.voided(baseline, datetime(2025, 7, 4, tzinfo=UTC))
    case.corrected(review, 47, datetime(2025, 7, 5, tzinfo=UTC))  # after the void: a run of its own

    consume(settings, referral_envelopes(case, date(2025, 1, 2)) + case_envelopes(case))  # one batch

    assert dict(query(settings, "SELECT linkage_id, status FROM linkages")) == {
        first: "attended",
        second: "declined",
    }
    stars = {
        star: (total, voided) for star, total, voided in query(settings, "SELECT star_id, total, voided FROM stars")
    }
    assert stars == {baseline: (38, True), review: (47, False)}
    [(scores_total,)] = query(
        settings,
        "SELECT (SELECT sum(value::int) FROM jsonb_each_text(scores)) FROM stars WHERE star_id = %s",
        (review,),
    )
    assert scores_total == 47
