"""A stored claim document is all later claims need: diffing against the document read back gives
the same next claim as diffing against the original claim."""

import json
from datetime import UTC, date, datetime

from reporting_builders import WORKER_2, CaseFacts

from reporting.domain import claim_document, claim_from_document, claim_window, close_claim, payable


def _close(period, closed_at, previous, facts, rulebooks):
    as_of, known_at = claim_window(period, closed_at)
    return close_claim(period, closed_at, previous, payable(facts, [], [], rulebooks, as_of=as_of, known_at=known_at))


def test_a_document_read_back_reproduces_its_bytes_and_the_next_claims_adjustments(rulebooks):
    paid, clawed, moved = CaseFacts(), CaseFacts(), CaseFacts()
    for case in (paid, clawed, moved):
        case.opened(date(2019, 1, 7))
        case.star(date(2019, 1, 7), 30)
    paid.star(date(2019, 6, 10), 40)
    review = clawed.star(date(2019, 6, 11), 40)
    moved.star(date(2019, 6, 12), 40)
    clawed.voided(review, datetime(2019, 7, 10, tzinfo=UTC))
    moved.reassigned(date(2019, 6, 1), WORKER_2)  # learnt late: recorded after June closes
    moved.facts[-1] = type(moved.facts[-1])(
        **{**moved.facts[-1].__dict__, "recorded_at": datetime(2019, 7, 11, tzinfo=UTC)}
    )
    facts = paid.facts + clawed.facts + moved.facts
    june = _close("2019-06", datetime(2019, 7, 3, 9, tzinfo=UTC), [], facts, rulebooks)
    document = claim_document(june)
    read_back = claim_from_document(document)
    assert claim_document(read_back) == document
    july_close = datetime(2019, 8, 2, 9, tzinfo=UTC)
    original = claim_document(_close("2019-07", july_close, [june], facts, rulebooks))
    assert claim_document(_close("2019-07", july_close, [read_back], facts, rulebooks)) == original
    kinds = sorted(line["kind"] for line in json.loads(original)["adjustments"])
    assert kinds == ["clawback", "clawback", "reattributed"]
