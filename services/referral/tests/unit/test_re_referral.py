"""Re-referral (issue 18 item 6, docs/domain.md §3.7): a new referral of a patient whose earlier
episodes ended is the next episode, knows them, and goes to the link worker who last held a case of
the patient when they have room (continuity), otherwise by the usual rule."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from contracts.pii import encrypt_field, new_data_key
from contracts.referral import DischargeReason, EarlierEpisode, ReferralEpisodeLinked
from contracts.referral import ReferralStatus as S
from referral.domain import LinkWorkerLoad, Referral, accept_intake, choose_link_worker, seal_patient_details
from referral.domain.re_referral import counted, link_episode, previous_link_worker

PROVIDER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
PREVIOUS_WORKER = uuid.UUID(int=7)
OTHER_PROVIDER = uuid.UUID("00000000-0000-7000-8000-0000000000a2")


def earlier(
    status: S, referred_on: date, link_worker_id: uuid.UUID | None = PREVIOUS_WORKER, **fields
) -> EarlierEpisode:
    return EarlierEpisode(
        referral_id=uuid.uuid4(),
        practice_ods_code="A86001",
        provider_id=PROVIDER_ID if link_worker_id else None,
        link_worker_id=link_worker_id,
        status=status,
        referred_on=referred_on,
        closed_on=date(referred_on.year + 1, 1, 31),
        **fields,
    )


def worker(n: int | uuid.UUID, capacity: int, caseload: int, provider=PROVIDER_ID, active=True) -> LinkWorkerLoad:
    link_worker_id = n if isinstance(n, uuid.UUID) else uuid.UUID(int=n)
    return LinkWorkerLoad(link_worker_id, provider, capacity, caseload, active)


@pytest.fixture
def re_referral(intake, known_practices, today):
    """`re_referral(*earlier_episodes)` -> (the new referral, its events)."""

    def receive(*episodes: EarlierEpisode) -> tuple[Referral, list]:
        valid = accept_intake(intake(), known_practice_codes=known_practices, today=today)
        key = new_data_key()
        sealed = seal_patient_details(
            valid, lambda text, purpose: encrypt_field(text, key_id="k", key=key, purpose=purpose)
        )
        events = Referral.receive(uuid.uuid4(), uuid.uuid4(), valid, sealed, episodes)
        return Referral.from_events(events), events

    return receive


def test_a_first_referral_is_episode_one_with_no_link_event(re_referral):
    referral, events = re_referral()
    assert [type(e).__name__ for e in events] == ["ReferralReceived"]
    assert (referral.episode_number, referral.earlier_episodes, referral.previous_link_worker_id) == (1, (), None)


def test_a_re_referral_is_the_next_episode_and_knows_its_predecessors_oldest_first(re_referral):
    discharged = earlier(S.DISCHARGED, date(2019, 5, 1), discharge_reason=DischargeReason.GOALS_MET)
    declined = earlier(S.DECLINED, date(2021, 2, 1), link_worker_id=None)
    referral, events = re_referral(declined, discharged)
    linked = events[1]
    assert isinstance(linked, ReferralEpisodeLinked)
    assert linked.episode_number == 3 and linked.earlier_episodes == (discharged, declined)
    assert referral.episode_number == 3
    # the declined one was never allocated: continuity goes to who last held a case of the patient
    assert referral.previous_link_worker_id == PREVIOUS_WORKER


def test_ineligible_and_withdrawn_referrals_are_not_episodes():
    withdrawn = earlier(S.WITHDRAWN, date(2020, 1, 1))
    ineligible = earlier(S.INELIGIBLE, date(2020, 6, 1), link_worker_id=None)
    unable = earlier(S.UNABLE_TO_CONTACT, date(2019, 1, 1))
    assert counted([withdrawn, ineligible, unable]) == (unable,)
    assert link_episode(uuid.uuid4(), uuid.uuid4(), [withdrawn, ineligible]) == []


def test_the_previous_link_worker_is_offered_the_re_referral_when_they_have_room():
    loads = [worker(1, 50, 10), worker(PREVIOUS_WORKER, 40, 39), worker(3, 60, 10)]
    allocation = choose_link_worker(PROVIDER_ID, loads, previous=PREVIOUS_WORKER)
    assert allocation is not None and allocation.link_worker_id == PREVIOUS_WORKER  # one place left is enough
    usual = choose_link_worker(PROVIDER_ID, loads)
    assert usual is not None and usual.link_worker_id == uuid.UUID(int=3)


def test_without_room_for_the_previous_link_worker_the_usual_rule_applies():
    full = [worker(1, 50, 10), worker(PREVIOUS_WORKER, 40, 40), worker(3, 60, 10)]
    allocation = choose_link_worker(PROVIDER_ID, full, previous=PREVIOUS_WORKER)
    assert allocation is not None and allocation.link_worker_id == uuid.UUID(int=3)
    inactive = [worker(1, 50, 10), worker(PREVIOUS_WORKER, 40, 0, active=False)]
    allocation = choose_link_worker(PROVIDER_ID, inactive, previous=PREVIOUS_WORKER)
    assert allocation is not None and allocation.link_worker_id == uuid.UUID(int=1)
    # a worker of another provider (the patient moved practice) is not offered it: the serving provider is
    elsewhere = [worker(1, 50, 10), worker(PREVIOUS_WORKER, 40, 0, provider=OTHER_PROVIDER)]
    allocation = choose_link_worker(PROVIDER_ID, elsewhere, previous=PREVIOUS_WORKER)
    assert allocation is not None and allocation.link_worker_id == uuid.UUID(int=1)
    nobody = [worker(1, 50, 50), worker(PREVIOUS_WORKER, 40, 40)]
    assert choose_link_worker(PROVIDER_ID, nobody, previous=PREVIOUS_WORKER) is None


def test_the_previous_link_worker_is_who_held_the_latest_case():
    first = earlier(S.DISCHARGED, date(2018, 1, 1), link_worker_id=uuid.UUID(int=1))
    second = earlier(S.UNABLE_TO_CONTACT, date(2020, 1, 1), link_worker_id=uuid.UUID(int=2))
    never_allocated = earlier(S.DECLINED, date(2022, 1, 1), link_worker_id=None)
    assert previous_link_worker(counted([second, never_allocated, first])) == uuid.UUID(int=2)
    assert previous_link_worker([never_allocated]) is None
