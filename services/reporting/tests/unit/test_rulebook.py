from datetime import UTC, date, datetime, timedelta

import pytest
from reporting_builders import CaseFacts

from reporting.domain import NoRulebookInForce, RulebookInvalid, parse_rulebook, payable, rulebook_for


def v2_from(rulebooks, effective_from: date, **changes):
    data = rulebooks[0].model_dump(mode="json")
    return parse_rulebook({**data, "version": 2, "effective_from": effective_from.isoformat(), **changes})


def test_the_packaged_rulebook_holds_the_default_numbers(rulebooks):
    [book] = rulebooks
    assert (book.id, book.version, book.effective_from) == ("w2w-2015", 1, date(2015, 4, 1))
    assert (book.review_min_days, book.min_gain_points, book.w_price_pence, book.w_max_per_episode) == (
        140,
        2,
        20000,
        4,
    )
    assert (book.s_share_percent, book.s_first_measure_offset_months, book.s_measure_quarters) == (30, 12, 4)
    assert book.shares == (("ccg", 7000), ("cbo", 2000), ("sof", 1000))


@pytest.mark.parametrize(
    "shares, message",
    [
        ([{"payer": "ccg", "basis_points": 7000}, {"payer": "cbo", "basis_points": 2000}], "10000"),
        ([{"payer": "ccg", "basis_points": 5000}, {"payer": "ccg", "basis_points": 5000}], "twice"),
    ],
)
def test_a_rulebook_whose_shares_are_wrong_is_refused(rulebooks, shares, message):
    with pytest.raises(RulebookInvalid, match=message):
        parse_rulebook({**rulebooks[0].model_dump(mode="json"), "payer_shares": shares})


def test_a_negative_price_is_refused(rulebooks):
    with pytest.raises(RulebookInvalid):
        parse_rulebook({**rulebooks[0].model_dump(mode="json"), "w_price_pence": -1})


def test_the_version_in_force_is_the_latest_started_on_or_before_the_date(rulebooks):
    v2 = v2_from(rulebooks, date(2020, 4, 1))
    books = (*rulebooks, v2)
    assert rulebook_for(date(2020, 3, 31), books).version == 1
    assert rulebook_for(date(2020, 4, 1), books).version == 2
    with pytest.raises(NoRulebookInForce):
        rulebook_for(date(2015, 3, 31), books)


def test_a_new_version_prices_outcomes_achieved_from_its_effective_date(rulebooks):
    books = (*rulebooks, v2_from(rulebooks, date(2020, 4, 1), w_price_pence=25000))
    before, on = CaseFacts(), CaseFacts()
    for case, review_on in ((before, date(2020, 3, 31)), (on, date(2020, 4, 1))):
        case.opened(review_on - timedelta(days=200))
        case.star(review_on - timedelta(days=150), 30)
        case.star(review_on, 40)
    ledger = payable(
        before.facts + on.facts, [], [], books, as_of=date(2021, 1, 1), known_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    assert [(line.amount, line.rulebook) for line in ledger.lines] == [(20000, "w2w-2015@1"), (25000, "w2w-2015@2")]
