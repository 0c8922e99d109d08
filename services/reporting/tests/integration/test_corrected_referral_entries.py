"""A referral's entries corrected after intake (issue 18 item 1, docs/domain.md §3.5) as reporting
follows them: a corrected referral date moves the funnel's "received" month; a waiting referral found
ineligible by the correction counts as ineligible that day; the payable ledger, which reads no referral
entries, is unchanged."""

from __future__ import annotations

from datetime import date

from reporting_builders import at
from reporting_testkit import case_envelopes, consume, engaged_case, referral_envelopes

from contracts.codec import encode
from contracts.referral import CorrectedEntry, IneligibilityReason, ReferralEntriesCorrected


def _correction(referral_id, patient_id, version: int, corrected_on: date, **fields):
    payload = ReferralEntriesCorrected(
        referral_id=referral_id, patient_id=patient_id, corrected_on=corrected_on, rulebook_id="w2w-2015", **fields
    )
    when = at(corrected_on, 10)
    return encode(
        payload,
        aggregate_id=referral_id,
        aggregate_version=version,
        occurred_at=when,
        recorded_at=when,
        producer="referral",
    )


def _funnel(client, token) -> dict[str, dict]:
    return {i["month"]: i for i in client.get("/metrics/funnel", headers=token("operator")).json()["items"]}


def test_a_corrected_referral_date_moves_the_received_month_and_leaves_the_ledger_alone(settings, client, token):
    case, _ = engaged_case(date(2025, 1, 2), date(2025, 1, 10), 40)
    case.star(date(2025, 6, 10), 43)  # a qualifying review: one W line
    consume(settings, referral_envelopes(case, date(2025, 1, 2)) + case_envelopes(case))
    ledger_before = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token()).json()
    assert len(ledger_before["lines"]) == 1
    assert _funnel(client, token)["2025-01"]["received"] == 1

    corrected = _correction(
        case.case_id,
        case.patient_id,
        4,
        date(2025, 2, 1),
        corrected=(CorrectedEntry.REFERRED_ON,),
        referred_on=date(2024, 12, 20),
        age_at_referral=59,
    )
    consume(settings, [corrected])
    funnel = _funnel(client, token)
    assert funnel["2024-12"]["received"] == 1
    assert (funnel["2025-01"]["received"], funnel["2025-01"]["eligible"], funnel["2025-01"]["allocated"]) == (0, 1, 1)
    ledger_after = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token()).json()
    assert ledger_after["lines"] == ledger_before["lines"] and ledger_after["totals"] == ledger_before["totals"]


def test_a_waiting_referral_found_ineligible_by_a_correction_counts_as_ineligible_that_day(settings, client, token):
    case, _ = engaged_case(date(2025, 3, 3), date(2025, 3, 10), 40)
    received_and_assessed = referral_envelopes(case, date(2025, 3, 3))[:2]  # never allocated: it waits
    consume(settings, received_and_assessed)
    reason = IneligibilityReason(code="no_qualifying_condition", message="No qualifying condition.")
    found = _correction(
        case.case_id,
        case.patient_id,
        3,
        date(2025, 4, 7),
        corrected=(CorrectedEntry.CONDITIONS,),
        conditions=(),
        criteria_failed=(reason,),
        found_ineligible=True,
    )
    consume(settings, [found])
    funnel = _funnel(client, token)
    assert (funnel["2025-03"]["received"], funnel["2025-03"]["eligible"]) == (1, 1)
    assert funnel["2025-04"]["ineligible"] == 1
