import uuid
from datetime import UTC, datetime

from contracts.commissioner import ComparisonCostsUploaded, HospitalActivityUploaded
from contracts.pii import nhs_number_pseudonym
from reporting.domain import claim_document, parse_comparison_costs, parse_hospital_activity
from reporting.domain.claims import Claim
from reporting.domain.commissioner_events import (
    activity_rows,
    activity_uploaded,
    claim_closed,
    comparison_costs,
    costs_uploaded,
)

SECRET = b"a test secret of enough bytes"
AT = datetime(2020, 4, 15, tzinfo=UTC)


def test_an_activity_upload_round_trips_through_its_event_without_nhs_numbers():
    patient = uuid.uuid4()
    upload = parse_hospital_activity(
        "nhs_number,activity_type,activity_date,cost_pence\n9434765919,ae,2020-02-01,1200\n4010232137,ae,2020-02-01,5\n",
        upload_id=uuid.uuid4(),
        recorded_at=AT,
        pseudonymise=lambda n: nhs_number_pseudonym(n, SECRET),
        patient_for_pseudonym={nhs_number_pseudonym("9434765919", SECRET): patient},
    )
    [chunk] = activity_uploaded(upload)
    event = HospitalActivityUploaded.model_validate_json(chunk.model_dump_json())
    assert "9434765919" not in event.model_dump_json() and event.unmatched_rows_count == 1
    assert activity_rows(event, AT) == list(upload.rows)


def test_comparison_costs_round_trip_through_their_event():
    upload_id = uuid.uuid4()
    costs = parse_comparison_costs("quarter,per_head_cost_pence\n2020Q1,100\n", upload_id=upload_id, recorded_at=AT)
    event = ComparisonCostsUploaded.model_validate_json(costs_uploaded(upload_id, costs).model_dump_json())
    assert comparison_costs(event, AT) == list(costs)


def test_a_closed_claim_event_carries_the_documents_hash():
    claim = Claim("2019-06", AT, ())
    event = claim_closed(claim, claim_document(claim))
    assert event.total_pence == 0 and len(event.document_sha256) == 64


def test_a_large_activity_upload_becomes_events_small_enough_for_kafka_with_every_row_once():
    from reporting.domain.commissioner_events import ROWS_PER_EVENT

    patient = uuid.uuid4()
    lines = "".join(f"9434765919,ae,2020-02-01,{i}\n" for i in range(2 * ROWS_PER_EVENT + 5))
    upload = parse_hospital_activity(
        "nhs_number,activity_type,activity_date,cost_pence\n" + lines + "4010232137,ae,2020-02-01,5\n",
        upload_id=uuid.uuid4(),
        recorded_at=AT,
        pseudonymise=lambda n: nhs_number_pseudonym(n, SECRET),
        patient_for_pseudonym={nhs_number_pseudonym("9434765919", SECRET): patient},
    )
    events = activity_uploaded(upload)
    assert [len(e.rows) for e in events] == [ROWS_PER_EVENT, ROWS_PER_EVENT, 5]
    assert [e.unmatched_rows_count for e in events] == [1, 0, 0]
    assert [row for e in events for row in activity_rows(e, AT)] == list(upload.rows)
    assert max(len(e.model_dump_json()) for e in events) < 900_000
