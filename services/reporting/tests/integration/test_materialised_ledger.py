"""Issue 13 items 1-3: the materialised ledger (kept by the consumer, one unit at a time, with validity
on the knowledge axis) answers exactly what the pure domain computes, for any (as_of, known_at), in
any arrival order that keeps each key's order, in any batching.

Hypothesis generates histories (cases with Stars, corrections and voids that move baselines between
cohorts, second episodes of one patient, Stars back-entered before the programme, late Stars,
activity and comparison-cost uploads recorded before and after their quarters end), applies them
through the real idempotent consumer in a random per-key-order-preserving interleaving cut into
random batches, then asks for random (D, T): the materialised answer must equal the recompute over
the stored facts and the pure `payable` over the generated history.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reporting_builders import PROVIDER_A, PROVIDER_B, CaseFacts
from reporting_testkit import case_envelopes, consume, query

from contracts.codec import encode
from linkwell_runtime.testing import cursor
from reporting.adapters import ledger_store, projections
from reporting.domain import (
    ActivityRow,
    ActivityType,
    ActivityUpload,
    ComparisonCost,
    Quarter,
    load_packaged_rulebooks,
    outcome_fields,
    payable,
)
from reporting.domain.commissioner_events import activity_uploaded, costs_uploaded
from reporting.entrypoints.rebuild import rebuild_ledger
from reporting.service_layer.ledger import LedgerCache, ledger_at, materialised_at, recomputed_at
from reporting.service_layer.ledger_pages import LinesQuery, page_of, totals_of

RULEBOOKS = load_packaged_rulebooks()
START = date(2019, 1, 1)
EPOCH = datetime(2019, 1, 1, tzinfo=UTC)
HORIZON_DAYS = 3 * 365  # recorded_at spread over 2019-2021


def moment(days: int, hour: int = 12) -> datetime:
    return EPOCH + timedelta(days=days, hours=hour)


moments = st.builds(moment, st.integers(0, HORIZON_DAYS), st.integers(0, 23))


@st.composite
def case_history(draw, patient_id):
    case = CaseFacts(provider_id=draw(st.sampled_from([PROVIDER_A, PROVIDER_B])), patient_id=patient_id)
    opened_on = START + timedelta(days=draw(st.integers(0, 200)))
    case.opened(opened_on)
    day, stars = opened_on, []
    if draw(st.integers(0, 9)) == 0:  # a Star back-entered before the programme (2007 for 2019)
        stars.append(case.star(day.replace(year=2007), draw(st.integers(8, 80))))
    for _ in range(draw(st.integers(1, 5))):
        day += timedelta(days=draw(st.integers(1, 200)))
        late = draw(st.one_of(st.none(), moments))  # recorded later (or earlier) than it happened
        stars.append(case.star(day, draw(st.integers(8, 80)), recorded_at=late))
    for star in draw(st.lists(st.sampled_from(stars), max_size=3)):
        if draw(st.booleans()):
            case.voided(star, draw(moments))
        else:
            case.corrected(star, draw(st.integers(8, 80)), draw(moments))
    if draw(st.booleans()):
        case.discharged(day + timedelta(days=draw(st.integers(0, 400))))
    if draw(st.integers(0, 4)) == 0:  # the referral withdrawn as made in error, recorded at some moment
        case.withdrawn(opened_on, recorded_at=draw(moments))
    return case


@st.composite
def histories(draw):
    patients = [uuid.uuid4() for _ in range(draw(st.integers(1, 3)))]
    cases = [draw(case_history(draw(st.sampled_from(patients)))) for _ in range(draw(st.integers(1, 4)))]
    uploads = []  # (key, envelope) per upload
    rows, costs = [], []
    for _ in range(draw(st.integers(0, 3))):
        upload_id, recorded_at = uuid.uuid4(), draw(moments)
        mine = [
            ActivityRow(
                uuid.uuid4(),
                upload_id,
                line,
                draw(st.sampled_from(patients)),
                ActivityType.AE,
                date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 455))),
                draw(st.integers(0, 30_000)),
                recorded_at,
            )
            for line in range(2, 2 + draw(st.integers(1, 4)))
        ]
        rows += mine
        [event] = activity_uploaded(ActivityUpload(upload_id, tuple(mine), ()))
        uploads.append(_envelope(event, upload_id, recorded_at))
    for _ in range(draw(st.integers(0, 3))):
        upload_id, recorded_at = uuid.uuid4(), draw(moments)
        quarters = draw(st.lists(st.sampled_from([Quarter(2020, n) for n in (1, 2, 3, 4)] + [Quarter(2021, 1)]),
                                 min_size=1, max_size=3, unique=True))  # fmt: skip
        mine = [
            ComparisonCost(uuid.uuid4(), upload_id, line, q, draw(st.integers(0, 20_000)), recorded_at)
            for line, q in enumerate(quarters, start=2)
        ]
        costs += mine
        uploads.append(_envelope(costs_uploaded(upload_id, mine), upload_id, recorded_at))
    return cases, rows, costs, uploads


def _envelope(payload, upload_id, recorded_at):
    return encode(
        payload,
        aggregate_id=upload_id,
        aggregate_version=1,
        occurred_at=recorded_at,
        recorded_at=recorded_at,
        producer="reporting",
    )


@st.composite
def arrival(draw, queues):
    """A per-key-order-preserving interleaving of the queues, cut into batches."""
    queues, batches, batch = [list(q) for q in queues if q], [], []
    while queues:
        queue = draw(st.sampled_from(queues))
        batch.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
        if draw(st.integers(0, 5)) == 0:
            batches.append(batch)
            batch = []
    return [*batches, batch] if batch else batches


def _reset(settings_) -> None:
    with cursor(settings_.database_url) as cur:
        projections.empty_derived_tables(cur)
        cur.execute("DELETE FROM processed_events")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), history=histories())
def test_the_materialised_ledger_is_the_pure_ledger_at_every_moment(settings, data, history):
    cases, rows, costs, uploads = history
    _reset(settings)
    cases_queues, upload_queues = [case_envelopes(case) for case in cases], [[u] for u in uploads]
    order = data.draw(st.sampled_from(["mixed", "uploads last", "uploads first"]))
    if order == "mixed":
        batches = data.draw(arrival(cases_queues + upload_queues))
    else:
        first, then = (cases_queues, upload_queues) if order == "uploads last" else (upload_queues, cases_queues)
        batches = data.draw(arrival(first)) + data.draw(arrival(then))
    for batch in batches:
        consume(settings, batch)
    facts = [f for case in cases for f in case.facts]
    questions = data.draw(
        st.lists(
            st.tuples(st.builds(date, st.integers(2019, 2022), st.integers(1, 12), st.just(28)), moments),
            min_size=3,
            max_size=6,
        )
    )
    cache = LedgerCache()
    with cursor(settings.database_url) as cur:
        for as_of, known_at in [*questions, (date(2030, 1, 1), moment(HORIZON_DAYS + 400))]:
            fast = materialised_at(cur, RULEBOOKS, as_of=as_of, known_at=known_at)
            assert fast == recomputed_at(cur, RULEBOOKS, as_of=as_of, known_at=known_at)
            assert fast == payable(facts, rows, costs, RULEBOOKS, as_of=as_of, known_at=known_at)
            assert ledger_at(cur, RULEBOOKS, as_of=as_of, known_at=known_at, cache=cache) == fast
            _assert_the_page_is_the_recomputes(cur, fast, as_of, known_at)
            event(f"types {sorted({line.outcome_type for line in fast.lines})}, exceptions {bool(fast.exceptions)}")
        _assert_the_kept_totals_are_the_lines(cur)


def _assert_the_page_is_the_recomputes(cur, ledger, as_of, known_at) -> None:
    """The API's statement (totals from `ledger_totals`, the page in index order) == the recompute's page."""
    expected = page_of(ledger, LinesQuery(), 0, 1000)
    totals, lines, _, _ = ledger_store.answer_page_json(cur, as_of, known_at, "achieved_on", 0, 1000)
    assert totals_of(totals) == expected.totals
    assert json.loads(lines) == json.loads(json.dumps([outcome_fields(line) for line in expected.lines]))


def _assert_the_kept_totals_are_the_lines(cur) -> None:
    """`ledger_totals` (kept by triggers through every delete and insert) == the lines grouped afresh."""
    grouped = (
        "SELECT on_date, lower(payable), COALESCE(upper(payable), 'infinity'), kind,"
        " COALESCE(provider_id::text, 'programme'), COALESCE(payer_shares_json, '[]'), count(*)::int, sum(amount)"
        " FROM ledger_lines WHERE kind IN ('W', 'S') AND NOT isempty(payable) GROUP BY 1, 2, 3, 4, 5, 6"
    )
    kept = "SELECT on_date, known_from, known_to, kind, provider, payer_shares_json, lines, pence FROM ledger_totals"
    cur.execute(f"({grouped} EXCEPT ALL {kept}) UNION ALL ({kept} EXCEPT ALL {grouped})")
    assert cur.fetchall() == []


def test_a_late_star_recomputes_the_unit_from_its_recorded_at(settings):
    """A review recorded (by its envelope) before a correction already applied arrives after it: the
    versions from its recorded_at on are recomputed, and the early moments see it."""
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    case.star(date(2019, 1, 7), 30)
    review = case.star(date(2019, 6, 10), 40, recorded_at=moment(200))
    case.corrected(review, 31, recorded_at=moment(300))
    envelopes = case_envelopes(case)
    consume(settings, [envelopes[-1]])  # the correction arrives first (another partition's lag)
    consume(settings, envelopes[:-1])
    with cursor(settings.database_url) as cur:
        for days in (199, 200, 299, 300):
            got = materialised_at(cur, RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(days))
            assert got == payable(case.facts, [], [], RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(days))
        assert [
            line.amount for line in materialised_at(cur, RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(250)).lines
        ] == [20000]
    assert query(settings, "SELECT count(*) FROM ledger_lines WHERE kind = 'W'") == [(1,)]


def test_an_s_line_is_payable_from_the_end_of_its_quarter_not_from_a_forecast(settings):
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    case.star(date(2019, 1, 7), 30)
    upload_id, forecast_at = uuid.uuid4(), datetime(2020, 2, 1, tzinfo=UTC)
    cost = ComparisonCost(uuid.uuid4(), upload_id, 2, Quarter(2020, 1), 10_000, forecast_at)
    consume(settings, case_envelopes(case) + [_envelope(costs_uploaded(upload_id, [cost]), upload_id, forecast_at)])
    ended = datetime(2020, 3, 31, 23, tzinfo=UTC)  # midnight in London, BST
    with cursor(settings.database_url) as cur:
        inside = materialised_at(cur, RULEBOOKS, as_of=date(2030, 1, 1), known_at=ended - timedelta(microseconds=1))
        after = materialised_at(cur, RULEBOOKS, as_of=date(2030, 1, 1), known_at=ended)
    assert inside.lines == () and [line.amount for line in after.lines] == [3000]


def test_a_late_activity_upload_changes_the_cohort_from_its_recorded_at(settings):
    """Rows uploaded after the cohort's lines were stored (and recorded before the cost) arrive last:
    the cohort is recomputed from the rows' recorded_at on."""
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    case.star(date(2019, 1, 7), 30)
    costs_id, rows_id = uuid.uuid4(), uuid.uuid4()
    cost = ComparisonCost(uuid.uuid4(), costs_id, 2, Quarter(2020, 1), 10_000, moment(500))
    row = ActivityRow(uuid.uuid4(), rows_id, 2, case.patient_id, ActivityType.AE, date(2020, 2, 1), 4_000, moment(450))
    [rows_event] = activity_uploaded(ActivityUpload(rows_id, (row,), ()))
    consume(settings, case_envelopes(case) + [_envelope(costs_uploaded(costs_id, [cost]), costs_id, moment(500))])
    consume(settings, [_envelope(rows_event, rows_id, moment(450))])
    with cursor(settings.database_url) as cur:
        for days in (449, 450, 499, 500, 900):
            got = materialised_at(cur, RULEBOOKS, as_of=date(2030, 1, 1), known_at=moment(days))
            assert got == payable(case.facts, [row], [cost], RULEBOOKS, as_of=date(2030, 1, 1), known_at=moment(days))
        assert materialised_at(cur, RULEBOOKS, as_of=date(2030, 1, 1), known_at=moment(900)).total == 1800


def test_a_database_whose_inputs_predate_the_projection_is_recomputed_until_rebuilt(settings):
    case = CaseFacts()
    case.opened(date(2019, 1, 7))
    case.star(date(2019, 1, 7), 30)
    case.star(date(2019, 6, 10), 40)
    consume(settings, case_envelopes(case))
    query(settings, "TRUNCATE ledger_lines, cohort_members")
    query(settings, "UPDATE ledger_inputs SET lines_ready = FALSE")
    with cursor(settings.database_url) as cur:  # not ready: the recompute answers
        assert materialised_at(cur, RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(900)).total == 20000
    assert rebuild_ledger(settings) == {"ledger_lines": 1}
    assert query(settings, "SELECT lines_ready FROM ledger_inputs") == [(True,)]
    with cursor(settings.database_url) as cur:
        for days in (0, 160, 900):
            got = materialised_at(cur, RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(days))
            assert got == payable(case.facts, [], [], RULEBOOKS, as_of=date(2020, 1, 1), known_at=moment(days))
