import uuid

from referral.domain import Allocation, LinkWorkerLoad, choose_link_worker

PROVIDER = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
OTHER_PROVIDER = uuid.UUID("00000000-0000-7000-8000-0000000000a2")


def worker(n: int, capacity: int, caseload: int, active: bool = True, provider=PROVIDER) -> LinkWorkerLoad:
    return LinkWorkerLoad(uuid.UUID(int=n), provider, capacity, caseload, active)


def chosen(*workers):
    allocation = choose_link_worker(PROVIDER, workers)
    return None if allocation is None else allocation.link_worker_id.int


def test_allocates_to_the_link_worker_with_most_spare_capacity():
    assert chosen(worker(1, 50, 45), worker(2, 60, 40), worker(3, 40, 30)) == 2


def test_allocation_names_the_provider_and_the_link_worker():
    assert choose_link_worker(PROVIDER, [worker(7, 50, 1)]) == Allocation(PROVIDER, uuid.UUID(int=7))


def test_equal_spare_capacity_goes_to_the_smaller_caseload():
    assert chosen(worker(1, 60, 50), worker(2, 50, 40)) == 2


def test_equal_spare_capacity_and_caseload_goes_to_the_lowest_id_whatever_the_order():
    assert chosen(worker(9, 50, 40), worker(3, 50, 40), worker(5, 50, 40)) == 3


def test_inactive_link_workers_are_never_allocated():
    assert chosen(worker(1, 60, 0, active=False), worker(2, 50, 49)) == 2


def test_link_workers_of_another_provider_are_never_allocated():
    assert chosen(worker(1, 60, 0, provider=OTHER_PROVIDER), worker(2, 50, 49)) == 2


def test_no_allocation_when_every_link_worker_is_full():
    assert chosen(worker(1, 50, 50), worker(2, 40, 41), worker(3, 60, 0, active=False)) is None


def test_no_allocation_when_the_provider_has_no_link_workers():
    assert chosen() is None
