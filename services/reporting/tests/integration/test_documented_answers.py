"""Every JSON answer is what the OpenAPI document says: it validates against the route's response
model and has exactly the model's keys (the answers are rendered without the model, so this is the check)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pydantic import BaseModel
from reporting_testkit import case_envelopes, consume, engaged_case, referral_envelopes

from contracts.engagement import LinkageMade
from reporting.entrypoints.schemas import (
    CaseloadRow,
    ClaimDocument,
    ComparisonCostsAccepted,
    EvidenceAnswer,
    FunnelRow,
    HospitalActivityAccepted,
    Items,
    LedgerAnswer,
    LinkageRow,
    WellbeingRow,
)

CSV = {"Content-Type": "text/csv"}


def _same_keys(model: type[BaseModel], value: object) -> None:
    """`value` has the model's required keys and no others (optional ones may be absent), and so have
    its nested models (dict-valued fields are free-form)."""
    required = {name for name, info in model.model_fields.items() if info.is_required()}
    assert isinstance(value, dict) and required <= set(value) <= set(model.model_fields), (model.__name__, value)
    for name, info in model.model_fields.items():
        nested = info.annotation
        item = getattr(nested, "__args__", (None,))[0] if getattr(nested, "__origin__", None) is list else nested
        if name in value and isinstance(item, type) and issubclass(item, BaseModel):
            for each in value[name] if isinstance(value[name], list) else [value[name]]:
                _same_keys(item, each)


def _check(model: type[BaseModel], answer) -> None:
    assert answer.status_code in (200, 201), answer.text
    model.model_validate(answer.json())
    _same_keys(model, answer.json())


def test_every_json_answer_matches_its_documented_model(settings, client, token, clock):
    case, _ = engaged_case(date(2024, 1, 2), date(2024, 1, 15), 40)
    case.star(date(2024, 6, 10), 44)
    case._add(
        LinkageMade,
        date(2024, 2, 1),
        linkage_id="00000000-0000-7000-8000-00000000c001",
        service_id="00000000-0000-7000-8000-00000000d001",
        category="arts",
        made_on=date(2024, 2, 1),
    )
    consume(settings, referral_envelopes(case, date(2024, 1, 2)) + case_envelopes(case))
    _check(
        HospitalActivityAccepted,
        client.post(
            "/commissioner/hospital-activity",
            headers=token() | CSV,
            content=b"nhs_number,activity_type,activity_date,cost_pence\n943-476-5919,admission,2025-02-01,50000\n",
        ),
    )
    _check(
        ComparisonCostsAccepted,
        client.post(
            "/commissioner/comparison-costs",
            headers=token() | CSV,
            content=b"quarter,per_head_cost_pence\n2025Q1,90000\n",
        ),
    )
    ledger = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token())
    _check(LedgerAnswer, ledger)
    assert {line["outcome_type"] for line in ledger.json()["lines"]} == {"W", "S"}
    for line in ledger.json()["lines"]:
        _check(
            EvidenceAnswer,
            client.get(f"/outcomes/{line['outcome_id']}/evidence", params={"as_of": "2025-12-31"}, headers=token()),
        )
    clock.now = datetime(2024, 7, 2, tzinfo=UTC)
    _check(ClaimDocument, client.post("/claims", json={"period": "2024-06"}, headers=token()))
    _check(ClaimDocument, client.get("/claims/2024-06", headers=token()))
    for name, row in (
        ("funnel", FunnelRow),
        ("caseload", CaseloadRow),
        ("wellbeing", WellbeingRow),
        ("linkages", LinkageRow),
    ):
        answer = client.get(f"/metrics/{name}", headers=token())
        _check(Items[row], answer)
        assert answer.json()["items"]
