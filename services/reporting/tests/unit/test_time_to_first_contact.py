"""Time to first contact per provider and link worker (issue 18, item 5): median (mean of the middle
two for an even count) and 90th percentile by nearest rank; waits not yet ended counted apart."""

from __future__ import annotations

import uuid

from reporting.domain.first_contact import nearest_rank, time_to_first_contact

P = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
W1 = uuid.UUID("00000000-0000-7000-8000-0000000000b1")
W2 = uuid.UUID("00000000-0000-7000-8000-0000000000b2")


def test_the_90th_percentile_is_a_wait_that_happened():
    assert nearest_rank([5, 1, 2, 3, 4, 6, 7, 8, 9, 10], 0.9) == 9
    assert nearest_rank([3], 0.9) == 3
    assert nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9) == 10  # ceil(9.9) = 10th


def test_each_provider_then_each_of_its_link_workers():
    rows = [(P, W1, 1), (P, W1, 2), (P, W1, 4), (P, W1, 9), (P, W2, 0), (P, W2, None)]
    provider, first, second = time_to_first_contact(rows)
    assert (provider.link_worker_id, provider.contacted, provider.awaiting) == (None, 5, 1)
    assert (provider.median_days, provider.p90_days) == (2.0, 9)
    assert (first.link_worker_id, first.median_days, first.p90_days) == (W1, 3.0, 9)  # (2 + 4) / 2
    assert (second.link_worker_id, second.contacted, second.awaiting, second.median_days) == (W2, 1, 1, 0.0)


def test_nobody_contacted_yet_has_no_figures():
    [provider, worker] = time_to_first_contact([(P, W1, None)])
    assert (provider.median_days, provider.p90_days, worker.awaiting) == (None, None, 1)
