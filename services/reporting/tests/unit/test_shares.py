from hypothesis import given
from hypothesis import strategies as st

from reporting.domain import split_shares

DEFAULT = (("ccg", 7000), ("cbo", 2000), ("sof", 1000))


def test_default_shares_split_two_hundred_pounds_exactly():
    assert split_shares(20000, DEFAULT) == {"ccg": 14000, "cbo": 4000, "sof": 2000}


def test_leftover_pence_go_to_the_largest_remainders():
    assert split_shares(7, DEFAULT) == {"ccg": 5, "cbo": 1, "sof": 1}  # 4.9, 1.4, 0.7


def test_ties_go_to_the_payer_listed_first():
    assert split_shares(1, (("a", 1), ("b", 1))) == {"a": 1, "b": 0}
    assert split_shares(1, (("b", 1), ("a", 1))) == {"b": 1, "a": 0}


def test_a_clawback_mirrors_the_original_split():
    assert split_shares(-7, DEFAULT) == {"ccg": -5, "cbo": -1, "sof": -1}


weights = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6).filter(any)


@given(amount=st.integers(min_value=-(10**12), max_value=10**12), raw=weights)
def test_shares_always_sum_exactly_to_the_amount(amount, raw):
    shares = [(f"payer{i}", w) for i, w in enumerate(raw)]
    parts = split_shares(amount, shares)
    assert sum(parts.values()) == amount
    total = sum(raw)
    for key, weight in shares:
        exact = amount * weight / total
        assert abs(parts[key] - exact) < 1 + 1e-6 * abs(exact)


@given(amount=st.integers(min_value=0, max_value=10**9))
def test_default_shares_sum_to_the_amount(amount):
    assert sum(split_shares(amount, DEFAULT).values()) == amount
