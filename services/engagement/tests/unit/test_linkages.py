import uuid
from datetime import date
from itertools import product

import pytest

from contracts.engagement import LinkageCategory, LinkageMade, LinkageUpdated
from contracts.engagement import LinkageStatus as L
from engagement.domain import (
    LINKAGE_TRANSITIONS,
    InvalidCommand,
    InvalidTransition,
    NotFound,
    ServiceStatus,
    ValidationFailed,
)

ON = date(2024, 2, 1)
TODAY = date(2024, 9, 2)
ALLOWED = {
    (L.SUGGESTED, L.REFERRED),
    (L.SUGGESTED, L.DECLINED),
    (L.REFERRED, L.ATTENDED),
    (L.REFERRED, L.DECLINED),
    (L.REFERRED, L.DID_NOT_START),
}
PATH = {
    L.SUGGESTED: [],
    L.REFERRED: [L.REFERRED],
    L.ATTENDED: [L.REFERRED, L.ATTENDED],
    L.DECLINED: [L.DECLINED],
    L.DID_NOT_START: [L.REFERRED, L.DID_NOT_START],
}


def link(case, services, service_id, category="physical_activity"):
    return case.make_linkage(
        uuid.uuid4(), service_id=service_id, category=category, known_services=services, on=ON, today=TODAY
    )


def linkage_in(status, contacted_case, then, services, service_id):
    case, history = contacted_case()
    events = link(case, services, service_id)
    case, history = then(case, history, events)
    for to_status in PATH[status]:
        case, history = then(case, history, case.update_linkage(events[0].linkage_id, to_status, on=ON, today=TODAY))
    return case, events[0].linkage_id


def test_a_linkage_to_a_directory_service_starts_suggested(contacted_case, known_services, ids, then):
    case, history = contacted_case()
    [made] = link(case, known_services, ids["service"], "welfare_rights_advice")
    assert isinstance(made, LinkageMade) and made.category is LinkageCategory.WELFARE_RIGHTS_ADVICE
    case, _ = then(case, history, [made])
    assert case.linkage(made.linkage_id).status is L.SUGGESTED


def test_a_linkage_to_a_service_the_directory_does_not_know_is_invalid(contacted_case, known_services):
    case, _ = contacted_case()
    with pytest.raises(ValidationFailed, match="unknown directory service"):
        link(case, known_services, uuid.uuid4())


def test_a_linkage_to_a_defunct_service_is_invalid(contacted_case):
    case, _ = contacted_case()
    service = uuid.uuid4()
    with pytest.raises(ValidationFailed, match="defunct"):
        link(case, {service: ServiceStatus.DEFUNCT}, service)


@pytest.mark.parametrize("status", ["active", "inactive", "temporarily closed"])
def test_a_linkage_to_a_service_that_still_exists_is_allowed(contacted_case, status):
    case, _ = contacted_case()
    service = uuid.uuid4()
    assert link(case, {service: status}, service)


def test_a_bad_category_and_unknown_service_are_both_listed(contacted_case):
    case, _ = contacted_case()
    with pytest.raises(ValidationFailed) as err:
        link(case, {}, uuid.uuid4(), "bingo")
    assert set(err.value.fields) == {"service_id", "category"}


def test_a_linkage_needs_a_session_first(open_case, known_services, ids):
    case, _ = open_case()
    with pytest.raises(InvalidCommand, match="attended contact"):
        link(case, known_services, ids["service"])


def test_the_transition_table_is_the_documented_one():
    assert {(a, b) for a, targets in LINKAGE_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize("from_status,to_status", sorted(ALLOWED))
def test_every_allowed_linkage_transition_is_recorded(
    from_status, to_status, contacted_case, then, known_services, ids
):
    case, linkage_id = linkage_in(from_status, contacted_case, then, known_services, ids["service"])
    [updated] = case.update_linkage(linkage_id, to_status.value, on=date(2024, 3, 1), today=TODAY)
    assert isinstance(updated, LinkageUpdated) and (updated.from_status, updated.to_status) == (from_status, to_status)


@pytest.mark.parametrize("from_status,to_status", sorted(set(product(L, L)) - ALLOWED))
def test_every_forbidden_linkage_transition_is_refused(
    from_status, to_status, contacted_case, then, known_services, ids
):
    case, linkage_id = linkage_in(from_status, contacted_case, then, known_services, ids["service"])
    with pytest.raises(InvalidTransition):
        case.update_linkage(linkage_id, to_status, on=date(2024, 3, 1), today=TODAY)


def test_an_update_of_an_unknown_linkage_is_not_found(contacted_case):
    case, _ = contacted_case()
    with pytest.raises(NotFound):
        case.update_linkage(uuid.uuid4(), L.REFERRED, on=ON, today=TODAY)
