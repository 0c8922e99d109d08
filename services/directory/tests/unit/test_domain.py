"""Pure domain: status lifecycle, event summaries, money, postcodes, distances and the page envelope."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contracts.directory import ServicePublished, ServiceStatus, ServiceStatusChanged, ServiceUpdated
from contracts.engagement import LinkageCategory
from directory.domain import model
from directory.domain.errors import Conflict, NotFound
from directory.domain.geography import haversine_metres, outcode
from directory.domain.inputs import CostOptionIn, ServiceIn
from directory.domain.model import ServiceState
from directory.domain.paging import page_envelope

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SERVICE = ServiceIn(
    organization_id=uuid.uuid4(),
    name="Walk",
    minimum_age=40,
    maximum_age=74,
    attributes=[{"taxonomy_term_id": uuid.uuid4()}],
)


def published() -> ServiceState:
    events = model.publish_service(ServiceState(), SERVICE, [LinkageCategory.PHYSICAL_ACTIVITY], NOW)
    return ServiceState.from_events(list(enumerate(events, start=1)))


def test_publishing_summarises_what_engagement_needs():
    [event] = model.publish_service(ServiceState(), SERVICE, [LinkageCategory.PHYSICAL_ACTIVITY] * 2, NOW)
    assert isinstance(event, ServicePublished)
    assert (event.categories, event.minimum_age, event.maximum_age, event.status) == (
        (LinkageCategory.PHYSICAL_ACTIVITY,),
        40,
        74,
        ServiceStatus.ACTIVE,
    )
    assert event.taxonomy_term_ids == (SERVICE.attributes[0].taxonomy_term_id,)


def test_publishing_twice_conflicts_and_changing_an_unknown_service_is_not_found():
    with pytest.raises(Conflict):
        model.publish_service(published(), SERVICE, [], NOW)
    with pytest.raises(NotFound):
        model.update_service(ServiceState(), SERVICE, [], NOW)
    with pytest.raises(NotFound):
        model.change_status(ServiceState(), SERVICE.id, None, ServiceStatus.INACTIVE, NOW)


def test_update_with_a_new_status_is_an_update_then_a_status_change():
    events = model.update_service(
        published(), SERVICE.model_copy(update={"status": ServiceStatus.TEMPORARILY_CLOSED}), [], NOW
    )
    assert [type(e) for e in events] == [ServiceUpdated, ServiceStatusChanged]
    assert events[0].status == ServiceStatus.ACTIVE and events[1].to_status == "temporarily closed"


def test_same_status_is_no_event_and_defunct_is_terminal():
    state = published()
    assert model.change_status(state, SERVICE.id, None, ServiceStatus.ACTIVE, NOW) == []
    events = model.change_status(state, SERVICE.id, None, ServiceStatus.DEFUNCT, NOW)
    defunct = ServiceState.from_events([(2, events[0])])
    assert defunct.status == ServiceStatus.DEFUNCT
    with pytest.raises(Conflict):
        model.change_status(defunct, SERVICE.id, None, ServiceStatus.ACTIVE, NOW)


def test_money_is_kept_in_integer_pence_and_sub_penny_amounts_are_refused():
    assert CostOptionIn(amount=2.5).amount_pence == 250
    assert CostOptionIn(amount=0.1).amount_pence == 10
    with pytest.raises(ValidationError):
        CostOptionIn(amount=1.005)
    with pytest.raises(ValidationError):
        CostOptionIn(amount="0.10")  # ORUK's amount is a JSON number


def test_age_range_must_be_ordered():
    with pytest.raises(ValidationError):
        ServiceIn(organization_id=uuid.uuid4(), name="x", minimum_age=70, maximum_age=40)


@pytest.mark.parametrize(
    "postcode, expected",
    [("ne1 4st", "NE1"), ("NE15 8RZ", "NE15"), ("NE28", "NE28"), ("  ne6  2fa ", "NE6"), ("12345", None), ("", None)],
)
def test_outcode_of_a_postcode(postcode, expected):
    assert outcode(postcode) == expected


def test_haversine_distance_in_metres():
    assert haversine_metres(54.9733, -1.6140, 54.9733, -1.6140) == 0
    # one degree of latitude is about 111.2 km
    assert haversine_metres(54.0, -1.6, 55.0, -1.6) == pytest.approx(111_195, rel=1e-3)


def test_page_envelope_edges():
    assert page_envelope([], 0, 1, 10) | {"contents": None} == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": None,
    }
    middle = page_envelope([1] * 10, 25, 2, 10)
    assert (middle["total_pages"], middle["first_page"], middle["last_page"], middle["size"]) == (3, False, False, 10)
    assert page_envelope([], 25, 7, 10)["last_page"] is True
