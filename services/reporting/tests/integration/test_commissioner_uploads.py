"""POST /commissioner/hospital-activity and /comparison-costs: row-by-row validation, all or nothing,
published through the outbox and applied at once; outcome S follows from them."""

from __future__ import annotations

from datetime import date

from reporting_builders import PROVIDER_A, PROVIDER_B
from reporting_testkit import case_envelopes, consume, engaged_case, query, referral_envelopes

KNOWN_NHS = "9434765919"
UNKNOWN_NHS = "9434765870"
CSV = {"Content-Type": "text/csv"}


def _known_patient(settings):
    # baseline in 2024Q1 → measured quarters begin 12, 15, 18, 21 months later: 2025Q1 first
    case, _ = engaged_case(date(2024, 1, 2), date(2024, 1, 15), 40)
    consume(settings, referral_envelopes(case, date(2024, 1, 2), nhs_number=KNOWN_NHS) + case_envelopes(case))
    return case


def _post(client, headers, path, text, **extra):
    return client.post(path, content=text.encode(), headers=headers | CSV | extra)


def test_a_bad_upload_lists_every_bad_row_by_line_and_applies_nothing(settings, client, token):
    _known_patient(settings)
    text = (
        "nhs_number,activity_type,activity_date,cost_pence\n"
        f"{KNOWN_NHS},admission,2025-02-01,150000\n"
        "1234567890,admission,2025-02-01,100\n"
        f"{KNOWN_NHS},surgery,2025-02-30,-5\n"
    )
    answer = _post(client, token(), "/commissioner/hospital-activity", text)
    assert answer.status_code == 422
    errors = [(e["line"], e["field"]) for e in answer.json()["errors"]]
    assert errors == [(3, "nhs_number"), (4, "activity_type"), (4, "activity_date"), (4, "cost_pence")]
    assert query(settings, "SELECT count(*) FROM activity_rows") == [(0,)]
    assert query(settings, "SELECT count(*) FROM outbox") == [(0,)]


def test_a_bad_header_is_reported_on_line_1(client, token):
    answer = _post(client, token(), "/commissioner/comparison-costs", "quarter,cost\n2025Q1,100\n")
    assert answer.status_code == 422 and answer.json()["errors"][0]["line"] == 1


def test_a_good_upload_is_applied_published_and_skipped_by_the_consumer(settings, client, token):
    _known_patient(settings)
    text = (
        "nhs_number,activity_type,activity_date,cost_pence\n"
        f"{KNOWN_NHS[:3]} {KNOWN_NHS[3:6]} {KNOWN_NHS[6:]},admission,2025-02-01,150000\n"
        f"{UNKNOWN_NHS},ae,2025-02-02,20000\n"
    )
    answer = _post(client, token(), "/commissioner/hospital-activity", text)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (
        body["rows_applied"] == 1 and body["rows_unknown_nhs_number"] == 1 and body["unknown_nhs_number_lines"] == [3]
    )
    assert query(settings, "SELECT activity_type, cost_pence FROM activity_rows") == [("admission", 150000)]
    [(topic, message)] = query(settings, "SELECT topic, convert_from(message, 'UTF8') FROM outbox")
    assert topic == settings.commissioner_topic and KNOWN_NHS not in message and "HospitalActivityUploaded" in message
    assert query(settings, "SELECT consumer, topic FROM processed_events WHERE event_id = %s", (body["event_id"],)) == [
        (settings.consumer_name, settings.commissioner_topic)
    ]


def test_the_same_idempotency_key_replays_the_upload(settings, client, token):
    text = "quarter,per_head_cost_pence\n2025Q1,90000\n"
    first = _post(client, token(), "/commissioner/comparison-costs", text, **{"Idempotency-Key": "k1"})
    again = _post(client, token(), "/commissioner/comparison-costs", text, **{"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert query(settings, "SELECT count(*) FROM comparison_costs") == [(1,)]
    other = _post(
        client,
        token(),
        "/commissioner/comparison-costs",
        "quarter,per_head_cost_pence\n2025Q2,1\n",
        **{"Idempotency-Key": "k1"},
    )
    assert other.status_code == 422


def test_uploads_make_outcome_s_payable_for_the_cohort(settings, client, token, clock):
    case = _known_patient(settings)
    assert (
        _post(
            client,
            token(),
            "/commissioner/hospital-activity",
            f"nhs_number,activity_type,activity_date,cost_pence\n{KNOWN_NHS},admission,2025-02-01,50000\n",
        ).status_code
        == 201
    )
    assert (
        _post(
            client, token(), "/commissioner/comparison-costs", "quarter,per_head_cost_pence\n2025Q1,90000\n"
        ).status_code
        == 201
    )
    lines = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token()).json()["lines"]
    [s_line] = [line for line in lines if line["outcome_type"] == "S"]
    assert s_line["cohort"] == "2024Q1" and s_line["patient_id"] is None and s_line["link_worker_id"] is None
    assert s_line["amount"] == (90000 - 50000) * 30 // 100 and s_line["provider_id"] == str(PROVIDER_A)
    assert s_line["achieved_on"] == "2025-03-31"
    evidence = client.get(
        f"/outcomes/{s_line['outcome_id']}/evidence", params={"as_of": "2025-12-31"}, headers=token()
    ).json()["evidence"]
    assert {i["kind"] for i in evidence} == {"event", "hospital_activity_row", "comparison_cost_row"}
    assert case.patient_id


def test_only_finance_uploads_commissioner_data(client, token):
    text = "quarter,per_head_cost_pence\n2025Q1,90000\n"
    activity = f"nhs_number,activity_type,activity_date,cost_pence\n{KNOWN_NHS},ae,2025-02-01,100\n"
    for role in ("provider_manager", "link_worker", "referrer", "operator", "service", "auditor"):
        assert _post(client, token(role), "/commissioner/hospital-activity", activity).status_code == 403
        assert _post(client, token(role), "/commissioner/comparison-costs", text).status_code == 403
    assert client.post("/commissioner/comparison-costs", content=b"\xff\xfe", headers=token() | CSV).status_code == 422


def test_an_upload_too_big_for_one_kafka_message_is_stored_as_several_events_all_applied(settings, client, token):
    _known_patient(settings)
    rows = 4500  # ~0.8 MB of JSON as one event: past the ~6,000-row point where a single event broke the relay
    text = "nhs_number,activity_type,activity_date,cost_pence\n" + f"{KNOWN_NHS},ae,2025-02-01,100\n" * rows
    answer = _post(client, token(), "/commissioner/hospital-activity", text)
    assert answer.status_code == 201, answer.text
    assert answer.json()["rows_applied"] == rows and len(answer.json()["event_ids"]) == 3
    assert query(settings, "SELECT count(*) FROM activity_rows") == [(rows,)]
    assert query(settings, "SELECT count(*), max(length(message)) < 900000 FROM outbox") == [(3, True)]


def test_an_upload_that_is_not_csv_is_refused_on_its_content_type(client, token):
    answer = client.post(
        "/commissioner/comparison-costs",
        content=b"quarter,per_head_cost_pence\n2025Q1,100\n",
        headers=token() | {"Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["header", "Content-Type"]


def test_a_file_sent_again_changes_no_outcome_and_only_its_new_rows_apply(settings, client, token):
    _known_patient(settings)
    header = "nhs_number,activity_type,activity_date,cost_pence\n"
    q1 = f"{KNOWN_NHS},admission,2025-02-01,50000\n{UNKNOWN_NHS},ae,2025-02-02,20000\n"
    assert (
        _post(
            client, token(), "/commissioner/comparison-costs", "quarter,per_head_cost_pence\n2025Q1,90000\n"
        ).status_code
        == 201
    )
    first = _post(client, token(), "/commissioner/hospital-activity", header + q1).json()
    lines_before = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token()).json()["lines"]

    again = _post(client, token(), "/commissioner/hospital-activity", header + q1)
    assert again.status_code == 201, again.text
    assert (again.json()["rows_applied"], again.json()["rows_already_uploaded"]) == (0, 1)
    assert again.json()["already_uploaded_lines"] == [2] and again.json()["rows_unknown_nhs_number"] == 1
    lines_after = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=token()).json()["lines"]
    assert [(l["outcome_type"], l["amount"]) for l in lines_after] == [
        (l["outcome_type"], l["amount"]) for l in lines_before
    ]

    more = _post(
        client, token(), "/commissioner/hospital-activity", header + q1 + f"{KNOWN_NHS},outpatient,2025-03-01,10000\n"
    ).json()
    assert (more["rows_applied"], more["rows_already_uploaded"]) == (1, 1)
    assert query(settings, "SELECT activity_type, cost_pence FROM activity_rows ORDER BY activity_date") == [
        ("admission", 50000),
        ("outpatient", 10000),
    ]
    assert first["rows_applied"] == 1


def test_a_manager_sees_only_their_own_patients_rows_behind_a_cohort_line_and_a_count_of_the_rest(
    settings, client, token
):
    own = _known_patient(settings)  # provider A's
    other_nhs = "9434765870"  # the same cohort (2024Q1), held by provider B
    theirs, _ = engaged_case(date(2024, 1, 3), date(2024, 1, 16), 40, provider_id=PROVIDER_B)
    consume(settings, referral_envelopes(theirs, date(2024, 1, 3), nhs_number=other_nhs) + case_envelopes(theirs))
    activity = (
        "nhs_number,activity_type,activity_date,cost_pence\n"
        f"{KNOWN_NHS},admission,2025-02-01,50000\n{other_nhs},ae,2025-02-02,20000\n{other_nhs},ae,2025-03-02,1000\n"
    )
    assert _post(client, token(), "/commissioner/hospital-activity", activity).json()["rows_applied"] == 3
    _post(client, token(), "/commissioner/comparison-costs", "quarter,per_head_cost_pence\n2025Q1,90000\n")

    def evidence(headers):
        lines = client.get("/outcomes/payable", params={"as_of": "2025-12-31"}, headers=headers).json()["lines"]
        [line] = [x for x in lines if x["outcome_type"] == "S" and x["provider_id"] == str(PROVIDER_A)]
        answer = client.get(f"/outcomes/{line['outcome_id']}/evidence", params={"as_of": "2025-12-31"}, headers=headers)
        rows = [i["payload"]["patient_id"] for i in answer.json()["evidence"] if i["kind"] == "hospital_activity_row"]
        return rows, answer.json()["other_patients_rows"], answer

    rows, withheld, _ = evidence(token())  # finance: every row the line counts
    assert sorted(rows) == sorted([str(own.patient_id), str(theirs.patient_id), str(theirs.patient_id)])
    assert withheld == 0
    rows, withheld, answer = evidence(token("provider_manager"))
    assert rows == [str(own.patient_id)] and withheld == 2
    assert str(theirs.patient_id) not in answer.text
    csv = client.get(
        answer.url.path, params={"as_of": "2025-12-31", "format": "csv"}, headers=token("provider_manager")
    )
    assert csv.status_code == 200 and str(own.patient_id) in csv.text and str(theirs.patient_id) not in csv.text
