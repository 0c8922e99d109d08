"""Replaying the same facts in any interleaving that keeps each case's order gives the same ledger."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from reporting_builders import PROVIDER_A, PROVIDER_B, CaseFacts

from reporting.domain import claim_document, close_claim, load_packaged_rulebooks, payable

RULEBOOKS = load_packaged_rulebooks()
START = date(2019, 1, 7)
KNOWN_AT = datetime(2021, 1, 1, tzinfo=UTC)


@st.composite
def case_histories(draw):
    case = CaseFacts(provider_id=draw(st.sampled_from([PROVIDER_A, PROVIDER_B])))
    case.opened(START)
    day, stars = START, []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        day += timedelta(days=draw(st.integers(min_value=1, max_value=200)))
        stars.append(case.star(day, draw(st.integers(min_value=8, max_value=80))))
    for star in draw(st.lists(st.sampled_from(stars), max_size=2)):
        if draw(st.booleans()):
            case.voided(star, datetime(2020, 6, 1, tzinfo=UTC))
        else:
            case.corrected(star, draw(st.integers(min_value=8, max_value=80)), datetime(2020, 6, 1, tzinfo=UTC))
    return case.facts


@st.composite
def interleaving(draw, histories):
    queues, merged = [list(h) for h in histories], []
    while any(queues):
        queue = draw(st.sampled_from([q for q in queues if q]))
        merged.append(queue.pop(0))
    return merged


@settings(max_examples=60, deadline=None)
@given(data=st.data(), histories=st.lists(case_histories(), min_size=1, max_size=4))
def test_any_per_case_order_preserving_interleaving_gives_the_same_ledger(data, histories):
    in_order = [fact for history in histories for fact in history]
    shuffled = data.draw(interleaving(histories))
    for known_at in (datetime(2020, 5, 31, tzinfo=UTC), KNOWN_AT):
        first = payable(in_order, [], [], RULEBOOKS, as_of=date(2020, 12, 31), known_at=known_at)
        again = payable(shuffled, [], [], RULEBOOKS, as_of=date(2020, 12, 31), known_at=known_at)
        assert first == again
        assert all(sum(p for _, p in line.payer_shares) == line.amount for line in first.lines)
        claim = close_claim("2020-12", known_at, [], first) if known_at == KNOWN_AT else None
        if claim:
            assert claim_document(claim) == claim_document(close_claim("2020-12", known_at, [], again))
