"""A referral withdrawn as made in error (issue 18, item 1) leaves the ledger from the withdrawal's
recorded_at on: as known at T before it, the ledger still showed its outcomes; at and after it, neither
its W lines nor its place in a cohort (S) nor its exceptions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from reporting_builders import CaseFacts

from reporting.domain import cohorts, episodes_known_at, payable

BASELINE_ON = date(2019, 1, 7)
AS_OF = date(2020, 1, 1)
WITHDRAWN_AT = datetime(2019, 9, 1, 10, tzinfo=UTC)


def engaged_case() -> CaseFacts:
    case = CaseFacts()
    case.opened(BASELINE_ON)
    case.star(BASELINE_ON, 30)
    case.star(BASELINE_ON + timedelta(days=150), 40)
    case.withdrawn(date(2019, 9, 1), recorded_at=WITHDRAWN_AT)
    return case


def test_the_outcome_is_payable_as_known_before_the_withdrawal_and_not_from_it(rulebooks):
    case = engaged_case()
    before = payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=WITHDRAWN_AT - timedelta(microseconds=1))
    assert [line.amount for line in before.lines] == [20000]
    assert payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=WITHDRAWN_AT).lines == ()
    later = payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=WITHDRAWN_AT + timedelta(days=400))
    assert later.lines == ()


def test_a_withdrawn_episode_leaves_its_cohort_from_the_withdrawal(rulebooks):
    case = engaged_case()
    before = cohorts(episodes_known_at(case.facts, WITHDRAWN_AT - timedelta(seconds=1)))
    assert [len(members) for members in before.values()] == [1]
    assert cohorts(episodes_known_at(case.facts, WITHDRAWN_AT)) == {}


def test_a_withdrawn_episodes_star_before_the_programme_is_no_exception(rulebooks):
    case = CaseFacts()
    case.opened(BASELINE_ON)
    case.star(date(2007, 1, 7), 30)
    assert payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=WITHDRAWN_AT).exceptions
    case.withdrawn(date(2019, 9, 1), recorded_at=WITHDRAWN_AT)
    assert payable(case.facts, [], [], rulebooks, as_of=AS_OF, known_at=WITHDRAWN_AT).exceptions == ()
