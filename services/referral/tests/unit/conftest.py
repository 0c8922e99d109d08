"""Builders for referrals in any status, with real sealing under a throwaway patient key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import pytest

from contracts.pii import encrypt_field, new_data_key
from contracts.referral import DeclineReason, DischargeReason, WithdrawalReason
from contracts.referral import ReferralStatus as S
from referral.domain import (
    Allocation,
    CaseEventType,
    CaseMilestone,
    Referral,
    ReferralIntake,
    accept_intake,
    seal_patient_details,
)

KNOWN_PRACTICES = frozenset({"A86001", "A86002", "A86003"})
TODAY = date(2024, 6, 14)
REFERRED_ON = date(2024, 6, 3)
PROVIDER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
LINK_WORKER_ID = uuid.UUID("00000000-0000-7000-8000-0000000000b1")

# The commands, in order, that take a freshly received referral to each status.
PATH_TO = {
    S.RECEIVED: (),
    S.ELIGIBLE: ("assess_eligible",),
    S.INELIGIBLE: ("assess_ineligible",),
    S.ALLOCATED: ("assess_eligible", "allocate"),
    S.DECLINED: ("assess_eligible", "decline"),
    S.CONTACTED: ("assess_eligible", "allocate", "contacted"),
    S.UNABLE_TO_CONTACT: ("assess_eligible", "allocate", "unable_to_contact"),
    S.ENGAGED: ("assess_eligible", "allocate", "contacted", "engaged"),
    S.DISCHARGED: ("assess_eligible", "allocate", "contacted", "engaged", "discharged"),
    S.WITHDRAWN: ("assess_eligible", "allocate", "withdraw"),
}


def run_step(referral: Referral, step: str, on: date) -> list:
    """The events one named command returns; the command for each target status."""
    milestone = partial(CaseMilestone, on=on, event_id=uuid.uuid4())
    commands: dict[str, Callable[[], list]] = {
        "assess_eligible": lambda: referral.assess(practice_participating=True, has_open_episode=False, on=on),
        "assess_ineligible": lambda: referral.assess(practice_participating=False, has_open_episode=False, on=on),
        "allocate": lambda: referral.allocate(Allocation(PROVIDER_ID, LINK_WORKER_ID), on),
        "decline": lambda: referral.decline(DeclineReason.NOT_INTERESTED, on),
        "withdraw": lambda: referral.withdraw(WithdrawalReason.DUPLICATE, on),
        "contacted": lambda: referral.record_case_event(milestone(CaseEventType.CONTACTED)),
        "engaged": lambda: referral.record_case_event(milestone(CaseEventType.ENGAGED)),
        "unable_to_contact": lambda: referral.record_case_event(milestone(CaseEventType.UNABLE_TO_CONTACT)),
        "discharged": lambda: referral.record_case_event(
            milestone(CaseEventType.DISCHARGED, discharge_reason=DischargeReason.GOALS_MET, contacts_count=7)
        ),
    }
    return commands[step]()


def make_intake(**overrides) -> ReferralIntake:
    fields = dict(
        nhs_number="943 476 5919",
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1964, 3, 10),
        sex="female",
        postcode="ne1 4lp",
        phone="0191 496 0000",
        practice_ods_code="a86001",
        referrer_name="Dr Jane Smith",
        referrer_role="gp",
        conditions=["type2_diabetes"],
        mental_health=["anxiety"],
        email="ada@example.org",
        reason="Lonely since her husband died",
        referred_on=REFERRED_ON,
    )
    return ReferralIntake(**{**fields, **overrides})


def seal(valid):
    key_id, key = f"patient-key-{uuid.uuid4()}", new_data_key()  # one data key per patient

    def encrypt(text: str, purpose: str):
        return encrypt_field(text, key_id=key_id, key=key, purpose=purpose)

    return seal_patient_details(valid, encrypt)


def received(**overrides) -> tuple[Referral, list]:
    valid = accept_intake(make_intake(**overrides), known_practice_codes=KNOWN_PRACTICES, today=TODAY)
    events = Referral.receive(uuid.uuid4(), uuid.uuid4(), valid, seal(valid))
    return Referral.from_events(events), events


def referral_in(status: S) -> tuple[Referral, list]:
    """A referral driven to `status` through its commands, one day per step, and its history."""
    referral, history = received()
    for day, step in enumerate(PATH_TO[status], start=1):
        new = run_step(referral, step, REFERRED_ON + timedelta(days=day))
        referral, history = referral.apply_all(new), [*history, *new]
    return referral, history


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def known_practices() -> frozenset[str]:
    return KNOWN_PRACTICES


@pytest.fixture
def referred_on() -> date:
    return REFERRED_ON


@pytest.fixture
def intake() -> Callable[..., ReferralIntake]:
    """`intake(**overrides)`: a well-formed submitted referral, changed where asked."""
    return make_intake


@pytest.fixture
def received_referral() -> Callable[..., tuple[Referral, list]]:
    """`received_referral(**intake_overrides)` -> (referral, its events)."""
    return received


@pytest.fixture
def referral_in_status() -> Callable[[S], tuple[Referral, list]]:
    """`referral_in_status(status)` -> (referral, its events), reached through the commands."""
    return referral_in


@pytest.fixture
def command_to() -> Callable[[Referral, S, date], list]:
    """`command_to(referral, target, on)`: run the command whose success leads to `target`."""
    targets = {status: PATH_TO[status][-1] for status in S if PATH_TO[status]}
    return lambda referral, target, on: run_step(referral, targets[target], on)


@pytest.fixture
def ids() -> dict[str, uuid.UUID]:
    return {"provider": PROVIDER_ID, "link_worker": LINK_WORKER_ID}
