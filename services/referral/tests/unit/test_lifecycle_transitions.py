"""The full lifecycle matrix (docs/domain.md §3), written out here independently of the implementation."""

from datetime import date
from itertools import product

import pytest

from contracts.referral import ReferralStatus as S
from referral.domain import (
    OPEN_STATUSES,
    TERMINAL_STATUSES,
    InvalidTransition,
    can_transition,
    ensure_transition,
)

EXPECTED_ALLOWED = {
    (S.RECEIVED, S.ELIGIBLE),
    (S.RECEIVED, S.INELIGIBLE),
    (S.ELIGIBLE, S.ALLOCATED),
    (S.ELIGIBLE, S.DECLINED),
    (S.ALLOCATED, S.CONTACTED),
    (S.ALLOCATED, S.UNABLE_TO_CONTACT),
    (S.ALLOCATED, S.DECLINED),
    (S.ALLOCATED, S.DISCHARGED),
    (S.CONTACTED, S.ENGAGED),
    (S.CONTACTED, S.DECLINED),
    (S.CONTACTED, S.DISCHARGED),
    (S.ENGAGED, S.DISCHARGED),
    (S.ENGAGED, S.DECLINED),
    # issue 18: every open episode after assessment may be withdrawn as made in error
    (S.ELIGIBLE, S.WITHDRAWN),
    (S.ALLOCATED, S.WITHDRAWN),
    (S.CONTACTED, S.WITHDRAWN),
    (S.ENGAGED, S.WITHDRAWN),
    # issue 18: a referral not yet contacted whose corrected entries fail a criterion (docs/domain.md
    # §3.5), waiting or allocated alike (docs/security.md §3.1)
    (S.ELIGIBLE, S.INELIGIBLE),
    (S.ALLOCATED, S.INELIGIBLE),
}
ALL_PAIRS = list(product(S, S))
ALLOWED = [pair for pair in ALL_PAIRS if pair in EXPECTED_ALLOWED]
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED]
LATER = date(2024, 7, 1)


def pair_id(pair):
    return f"{pair[0].value}->{pair[1].value}"


@pytest.mark.parametrize("pair", ALL_PAIRS, ids=pair_id)
def test_the_transition_table_allows_exactly_the_documented_moves(pair):
    assert can_transition(*pair) is (pair in EXPECTED_ALLOWED)


@pytest.mark.parametrize("pair", FORBIDDEN, ids=pair_id)
def test_a_forbidden_transition_raises(pair):
    with pytest.raises(InvalidTransition) as refused:
        ensure_transition(*pair)
    assert (refused.value.from_status, refused.value.to_status) == pair


def test_terminal_statuses_are_the_ones_with_no_way_out():
    assert TERMINAL_STATUSES == {S.INELIGIBLE, S.UNABLE_TO_CONTACT, S.DECLINED, S.DISCHARGED, S.WITHDRAWN}  # noqa: SIM300
    assert OPEN_STATUSES == {S.RECEIVED, S.ELIGIBLE, S.ALLOCATED, S.CONTACTED, S.ENGAGED}  # noqa: SIM300


def test_nothing_can_happen_to_a_referral_that_was_never_received():
    with pytest.raises(InvalidTransition):
        ensure_transition(None, S.ELIGIBLE)


# The same matrix through the aggregate's commands (no command leads back to `received`).
COMMAND_PAIRS = [pair for pair in ALL_PAIRS if pair[1] is not S.RECEIVED]


@pytest.mark.parametrize("pair", [p for p in COMMAND_PAIRS if p in EXPECTED_ALLOWED], ids=pair_id)
def test_an_allowed_command_moves_the_referral_to_its_target(pair, referral_in_status, command_to):
    referral, _ = referral_in_status(pair[0])
    events = command_to(referral, pair[1], LATER)
    after = referral.apply_all(events)
    assert after.status is pair[1]
    assert after.version == referral.version + len(events)


@pytest.mark.parametrize("pair", [p for p in COMMAND_PAIRS if p not in EXPECTED_ALLOWED], ids=pair_id)
def test_a_forbidden_command_is_refused_and_changes_nothing(pair, referral_in_status, command_to):
    referral, history = referral_in_status(pair[0])
    with pytest.raises(InvalidTransition):
        command_to(referral, pair[1], LATER)
    assert referral == type(referral).from_events(history)


def test_a_patient_can_decline_at_every_open_point_after_assessment(referral_in_status, command_to):
    for status in OPEN_STATUSES - {S.RECEIVED}:
        referral, _ = referral_in_status(status)
        assert referral.apply_all(command_to(referral, S.DECLINED, LATER)).status is S.DECLINED
