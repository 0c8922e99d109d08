"""Hand-crafted nasty inputs against a running Linkwell platform (stdlib only).

Usage (platform up via `make up`):
    .venv/bin/python fuzz/probes.py [referral|engagement|directory|reporting ...]   (default: all)

Prints every 5xx with a curl reproducer and the new traceback lines from .local/dev/run/<svc>-api.log,
and every 2xx to a request that looks like nonsense (marked SUSPECT-2XX) for a human to judge.
Writes a JSON summary to $OUT/probes.json (default .local/fuzz/probes.json).

Engagement probes run against a *fresh* case created for this run (a new referral at practice A85001
is allocated to some link worker; we mint that worker's token), so the demo cases are not disturbed.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shlex
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv/bin/python")
LOGS = ROOT / ".local/dev/run"
OUT = Path(os.environ.get("OUT", ".local/fuzz"))
HOST = "127.0.0.1"
PORTS = {"referral": 8001, "engagement": 8002, "directory": 8003, "reporting": 8004}

BIG = 2**63
NASTY_STR = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "' OR 1=1 --",
    "%00",
    "\u202e\u0000",
    " ",
]
NASTY_INT = [BIG, BIG - 1, -BIG - 1, 2**31, -(2**31) - 1, 10**40, 1e308, -1, 0, True]
NASTY_DATE = [
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "2023-02-29",
    "+10000-01-01",
    "2024-13-01",
    "20240101",
]
NASTY_DT = [
    "0001-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2026-01-01T00:00:00",
    "2026-01-01T24:00:00Z",
    "2024-02-30T00:00:00Z",
    "1970-01-01T00:00:00Z",
]
NASTY_ID = [
    "not-a-uuid",
    "1",
    "%00",
    "x" * 5000,
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "01a211c2-3d6a-7e7e-a9d2-3a016ed8869%00",
    "..%2F..%2Fetc",
]
PAGE_VALUES = [str(BIG), str(BIG - 1), str(2**31), str(2**31 - 1), "-1", "0", "1e400", "NaN", "\x00", "99999999"]

findings: list[dict] = []
suspects: list[dict] = []
everything: list[dict] = []  # (service, method, path, label, status) of every request, for later review


def token(*args: str) -> str:
    return (
        subprocess.run(
            [PY, "-m", "linkwell_runtime.tokens", *args], check=True, capture_output=True, text=True, cwd=ROOT
        )
        .stdout.strip()
        .split()[-1]
    )


def log_size(svc: str) -> int:
    try:
        return (LOGS / f"{svc}-api.log").stat().st_size
    except OSError:
        return 0


def log_tail(svc: str, since: int) -> list[str]:
    try:
        with open(LOGS / f"{svc}-api.log", "rb") as f:
            f.seek(since)
            text = f.read(200_000).decode("utf-8", "replace")
    except OSError:
        return []
    lines = text.splitlines()
    keep = [line for line in lines if not line.startswith("INFO:")]
    return keep[-12:]


def curl(method: str, port: int, path: str, tok: str, body: bytes | None, ctype: str | None) -> str:
    parts = ["curl", "-si", "-X", method, f"http://{HOST}:{port}{path}", "-H", "Authorization: Bearer $TOKEN"]
    if ctype:
        parts += ["-H", f"Content-Type: {ctype}"]
    cmd = " ".join(shlex.quote(p) if "$TOKEN" not in p else f'"{p}"' for p in parts)
    if body is not None:
        if len(body) > 300:
            cmd += f"  --data-binary @body.bin   # {len(body)} bytes, start {body[:60]!r}"
        else:
            try:
                s = body.decode("utf-8")
                if "\x00" in s or "'" in s:
                    raise UnicodeDecodeError("x", b"", 0, 1, "x")
                cmd += " --data-binary " + shlex.quote(s)
            except UnicodeDecodeError:
                cmd = f"printf %s {shlex.quote(repr(body))}  # python bytes; " + cmd + " --data-binary @-"
    return cmd


def req(
    svc: str,
    method: str,
    path: str,
    tok: str,
    *,
    params: dict | None = None,
    json_body=None,
    raw: bytes | None = None,
    ctype: str | None = None,
    label: str = "",
    expect_4xx: bool = True,
    headers: dict | None = None,
) -> int:
    port = PORTS[svc]
    if params:
        path = path + "?" + urllib.parse.urlencode(params)
    body = raw
    if json_body is not None:
        body = json.dumps(json_body).encode()
        ctype = ctype or "application/json"
    h = {"Authorization": f"Bearer {tok}"}
    if ctype:
        h["Content-Type"] = ctype
    if headers:
        h.update(headers)
    before = log_size(svc)
    status, text = 0, ""
    for _attempt in range(2):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            status, text = resp.status, resp.read(4000).decode("utf-8", "replace")
            break
        except (ConnectionError, http.client.HTTPException, TimeoutError, OSError) as e:
            status, text = -1, f"transport error: {e!r}"
            time.sleep(0.5)
        finally:
            conn.close()
    rec = {
        "service": svc,
        "method": method,
        "path": path[:400],
        "label": label,
        "status": status,
        "answer": text[:400],
        "curl": curl(method, port, path, tok, body, ctype),
    }
    everything.append({k: rec[k] for k in ("service", "method", "label", "status")} | {"path": rec["path"][:200]})
    if status >= 500 or status < 0:
        time.sleep(0.3)
        rec["log"] = log_tail(svc, before)
        findings.append(rec)
        print(f"!! {status} {svc} {method} {path[:160]} [{label}]\n   {text[:200]}")
        for line in rec["log"][-4:]:
            print("   LOG", line[:300])
    elif 200 <= status < 300 and expect_4xx:
        suspects.append(rec)
        print(f"?? SUSPECT-2XX {status} {svc} {method} {path[:160]} [{label}] {text[:160]}")
    return status


def walk(obj, prefix=()):
    """Yield (path tuple, value) for every leaf of a JSON body."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from walk(v, prefix + (k,))
    elif isinstance(obj, list) and obj:
        for i, v in enumerate(obj):
            yield from walk(v, prefix + (i,))
    else:
        yield prefix, obj


def with_value(obj, keys, value):
    obj = json.loads(json.dumps(obj))
    cur = obj
    for k in keys[:-1]:
        cur = cur[k]
    cur[keys[-1]] = value
    return obj


def mutations(value):
    if isinstance(value, bool):
        return [None, "yes", 2, [], {}]
    if isinstance(value, int):
        return NASTY_INT + ["12", None]
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":
            return NASTY_DATE + NASTY_STR[:2]
        if "T" in value and value[:4].isdigit():
            return NASTY_DT + NASTY_DATE[:3] + NASTY_STR[:2]
        return NASTY_STR + [None, 12, [], {}]
    return NASTY_STR[:3] + [BIG]


def fuzz_body(svc, method, path, tok, base, label, skip=()):
    for keys, value in walk(base):
        if any(k in skip for k in keys):
            continue
        for bad in mutations(value):
            req(
                svc,
                method,
                path,
                tok,
                json_body=with_value(base, keys, bad),
                label=f"{label} {'.'.join(map(str, keys))}={str(bad)[:40]!r}",
                expect_4xx=False,
            )
    # whole-body nastiness
    for raw, ct in [
        (b"\xff\xfe\x00garbage", "application/json"),
        (b"{", "application/json"),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b"1e999999", "application/json"),
        (json.dumps(base).encode(), "text/plain"),
        (json.dumps(base).encode(), "application/x-www-form-urlencoded"),
        (b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json"),
        (json.dumps(base).encode().replace(b"{", b'{"\\u0000":1,', 1), "application/json"),
    ]:
        req(svc, method, path, tok, raw=raw, ctype=ct, label=f"{label} raw body {raw[:20]!r} as {ct}")


def bad_ids(svc, tok, template, label, method="GET", body=None):
    for bad in NASTY_ID:
        path = (
            template.replace("{id}", urllib.parse.quote(bad, safe="%"))
            if "%" in bad
            else template.replace("{id}", urllib.parse.quote(bad))
        )
        req(svc, method, path, tok, json_body=body, label=f"{label} id={bad[:30]!r}")


def bad_query(svc, tok, path, names, values, label):
    for name in names:
        for v in values:
            req(svc, "GET", path, tok, params={name: v}, label=f"{label} {name}={str(v)[:30]!r}")


# ------------------------------------------------------------------------------------------ referral
def nhs(rng):
    while True:
        nine = "999" + f"{rng.randrange(10**6):06d}"
        check = 11 - sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=False)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return nine + str(check)


def referral_body(rng):
    return {
        "nhs_number": nhs(rng),
        "given_name": "Fuzz",
        "family_name": "Probe",
        "date_of_birth": "1960-01-01",
        "sex": "female",
        "postcode": "NE4 6QA",
        "phone": "0191 496 0000",
        "email": "a@example.org",
        "practice_ods_code": "A85001",
        "referrer": {"name": "Dr Fuzz", "role": "gp"},
        "conditions": ["copd"],
        "mental_health": [],
        "reason": "fuzz",
        "referred_on": date.today().isoformat(),
    }


def referral():
    rng = random.Random()
    ref = token("--role", "referrer", "--practice", "A85001")
    op = token("--role", "operator")
    s = "referral"
    base = referral_body(rng)
    fuzz_body(s, "POST", "/referrals", ref, base, "create referral")
    req(
        s,
        "POST",
        "/referrals",
        ref,
        json_body=referral_body(rng),
        headers={"Idempotency-Key": "k\x01" + "x" * 300},
        label="idempotency key control char/long",
    )
    for key in ["a" * 200, "\x7f", "é"]:
        req(
            s,
            "POST",
            "/referrals",
            ref,
            raw=json.dumps(referral_body(rng)).encode(),
            ctype="application/json",
            headers={"Idempotency-Key": key.encode("utf-8").decode("latin-1")},
            label=f"idempotency key {key[:5]!r}",
            expect_4xx=False,
        )
    bad_query(s, op, "/referrals", ["page", "page_size"], PAGE_VALUES, "list referrals")
    bad_query(
        s,
        op,
        "/referrals",
        ["status", "practice", "provider_id", "link_worker_id"],
        ["\x00", "x" * 10000, "not-a-uuid", "'"],
        "list referrals",
    )
    bad_ids(s, op, "/referrals/{id}", "get referral")
    bad_ids(s, op, "/referrals/{id}/discharge-summary", "discharge summary")
    bad_ids(s, op, "/referrals/{id}/decline", "decline", "POST", {"reason": "other"})
    bad_ids(s, op, "/link-workers/{id}", "patch lw", "PATCH", {"capacity": 1})
    # a referral we own for decline probes
    req(s, "POST", "/referrals", ref, json_body=referral_body(rng), label="setup", expect_4xx=False)
    conn = http.client.HTTPConnection(HOST, 8001)
    conn.request("GET", "/referrals?practice=A85001&page_size=1", headers={"Authorization": f"Bearer {op}"})
    items = json.loads(conn.getresponse().read()).get("items", [])
    if items:
        rid = items[0]["referral_id"]
        fuzz_body(
            s,
            "POST",
            f"/referrals/{rid}/decline",
            op,
            {"reason": "other", "note": "n", "declined_on": date.today().isoformat()},
            "decline",
        )
    for ods in ["\x00", "x" * 5000, "A85001%00", "%FF", "..", " "]:
        req(
            s,
            "PATCH",
            "/practices/" + urllib.parse.quote(ods, safe="%"),
            op,
            json_body={"name": "x"},
            label=f"patch practice ods={ods[:10]!r}",
        )
    fuzz_body(
        s,
        "PATCH",
        "/practices/A85099",
        op,
        {"name": "n", "participating": True, "provider_id": None},
        "patch unknown practice",
    )
    fuzz_body(
        s,
        "POST",
        "/practices",
        op,
        {
            "ods_code": f"Z{rng.randrange(10**5):05d}",
            "name": "Fuzz practice",
            "participating": False,
            "provider_id": None,
        },
        "create practice",
    )
    fuzz_body(s, "POST", "/providers", op, {"name": "Fuzz provider"}, "create provider")
    conn = http.client.HTTPConnection(HOST, 8001)
    conn.request("GET", "/providers", headers={"Authorization": f"Bearer {op}"})
    provs = json.loads(conn.getresponse().read())
    provs = provs.get("items", provs) if isinstance(provs, dict) else provs
    pid = provs[0].get("provider_id") or provs[0].get("id") if provs else "00000000-0000-0000-0000-000000000000"
    fuzz_body(
        s,
        "POST",
        "/link-workers",
        op,
        {"provider_id": pid, "display_name": "Fuzz LW", "capacity": 0, "active": False},
        "create lw",
    )
    bad_query(s, op, "/link-workers", ["provider_id"], ["\x00", "not-a-uuid", "x" * 5000], "list lw")


# ------------------------------------------------------------------------------------------ engagement
def get_json(port, path, tok):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {tok}"})
    r = conn.getresponse()
    return r.status, json.loads(r.read() or b"null")


def post_ok(port, path, tok, body):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request(
        "POST",
        path,
        body=json.dumps(body),
        headers={"Authorization": f"Bearer {tok}", "Content-Type": "application/json"},
    )
    r = conn.getresponse()
    text = r.read()
    try:
        return json.loads(text) if r.status < 300 else (r.status, text[:300])
    except ValueError:
        return r.status, text[:300]


def fresh_case():
    rng = random.Random()
    ref = token("--role", "referrer", "--practice", "A85001")
    body = referral_body(rng)
    body["referred_on"] = (date.today() - timedelta(days=20)).isoformat()
    conn = http.client.HTTPConnection(HOST, 8001, timeout=30)
    conn.request(
        "POST",
        "/referrals",
        body=json.dumps(body),
        headers={"Authorization": f"Bearer {ref}", "Content-Type": "application/json"},
    )
    r = conn.getresponse()
    created = json.loads(r.read())
    if r.status == 201:  # its practice is answered `accepted`, not who holds it: an operator reads that
        _, seen = get_json(8001, f"/referrals/{created['referral_id']}", token("--role", "operator"))
        created |= {k: seen[k] for k in ("status", "provider_id", "link_worker_id")}
    if r.status != 201 or not created.get("link_worker_id"):
        print("could not create a fresh allocated referral:", r.status, created)
        return None, None
    lw = token(
        "--role", "link_worker", "--provider-id", created["provider_id"], "--link-worker-id", created["link_worker_id"]
    )
    cid = created["referral_id"]
    for _ in range(60):
        st, _ = get_json(8002, f"/cases/{cid}", lw)
        if st == 200:
            return cid, lw
        time.sleep(0.5)
    print("case never appeared in engagement")
    return None, None


def engagement():
    s = "engagement"
    cid, lw = fresh_case()
    if cid is None:
        return
    print("fresh case", cid)
    today = date.today()
    bad_query(s, lw, "/cases", ["page"], PAGE_VALUES, "list cases")
    bad_query(
        s,
        lw,
        "/cases",
        ["link_worker_id", "status", "due_for_review", "past_limit"],
        ["\x00", "x" * 10000, "not-a-uuid", "2"],
        "list cases",
    )
    for tpl, method, body in [
        ("/cases/{id}", "GET", None),
        (
            "/cases/{id}/contacts",
            "POST",
            {"occurred_at": "2026-01-01T10:00:00Z", "mode": "phone", "duration_minutes": 5, "attended": True},
        ),
        ("/cases/{id}/goals", "POST", {"description": "d", "star_areas": ["work"]}),
        ("/cases/{id}/stars", "POST", {"taken_on": today.isoformat(), "scores": {}}),
        ("/cases/{id}/discharge", "POST", {"discharged_on": today.isoformat(), "reason": "x"}),
    ]:
        bad_ids(s, lw, tpl, f"{method} {tpl}", method, body)
    for tpl, body in [
        (f"/cases/{cid}/goals/{{id}}", {"status": "achieved"}),
        (f"/cases/{cid}/linkages/{{id}}", {"status": "attended"}),
    ]:
        bad_ids(s, lw, tpl, f"PATCH {tpl}", "PATCH", body)
    for tpl, body in [
        (f"/cases/{cid}/stars/{{id}}/correction", {"scores": {}, "reason": "r"}),
        (f"/cases/{cid}/stars/{{id}}/void", {"reason": "r"}),
    ]:
        bad_ids(s, lw, tpl, f"POST {tpl}", "POST", body)
    contact_at = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    contact = {
        "occurred_at": contact_at,
        "mode": "face_to_face",
        "duration_minutes": 45,
        "venue": "cafe",
        "attended": True,
    }
    post_ok(8002, f"/cases/{cid}/contacts", lw, contact)  # engage the case so later commands are allowed
    fuzz_body(s, "POST", f"/cases/{cid}/contacts", lw, contact, "contact")
    fuzz_body(s, "POST", f"/cases/{cid}/contact-attempts", lw, {"occurred_at": contact_at, "note": "n"}, "attempt")
    goal = {
        "description": "walk more",
        "star_areas": ["lifestyle"],
        "target_date": (today + timedelta(days=30)).isoformat(),
    }
    fuzz_body(s, "POST", f"/cases/{cid}/goals", lw, goal, "goal")
    scores = dict.fromkeys(
        [
            "lifestyle",
            "looking_after_yourself",
            "managing_symptoms",
            "work_volunteering",
            "money",
            "where_you_live",
            "family_and_friends",
            "feeling_positive",
        ],
        5,
    )
    fuzz_body(s, "POST", f"/cases/{cid}/stars", lw, {"taken_on": today.isoformat(), "scores": scores}, "star")
    for weird in [
        {"\x00": 1},
        {"money": BIG},
        {"money": 1e308},
        {"money": "5"},
        {"money": None},
        {"x" * 10000: 1},
        {"money": [1]},
        {"money": {"a": 1}},
        {"money": -BIG},
        {"money": 5.0},
        {"money": True},
    ]:
        req(
            s,
            "POST",
            f"/cases/{cid}/stars",
            lw,
            json_body={"taken_on": today.isoformat(), "scores": scores | weird},
            label=f"star scores {str(weird)[:40]}",
        )
    for lit in [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"5.0000000000000001"]:
        raw = (
            json.dumps({"taken_on": today.isoformat(), "scores": scores})
            .encode()
            .replace(b'"money": 5', b'"money": ' + lit)
        )
        req(s, "POST", f"/cases/{cid}/stars", lw, raw=raw, ctype="application/json", label=f"star money={lit!r}")
    linkage = {"service_id": "179da54e-2965-539a-a16b-c7fad8a4b536", "category": "learning_and_employment"}
    fuzz_body(s, "POST", f"/cases/{cid}/linkages", lw, linkage, "linkage")
    g = post_ok(8002, f"/cases/{cid}/goals", lw, goal)
    st = post_ok(8002, f"/cases/{cid}/stars", lw, {"taken_on": today.isoformat(), "scores": scores})
    lk = post_ok(8002, f"/cases/{cid}/linkages", lw, linkage)
    print("setup ids:", g, st, lk)
    if isinstance(g, dict) and g.get("goal_id"):
        fuzz_body(
            s,
            "PATCH",
            f"/cases/{cid}/goals/{g['goal_id']}",
            lw,
            {
                "status": "revised",
                "note": "n",
                "replacement": {"description": "d2", "star_areas": ["money"], "target_date": today.isoformat()},
            },
            "goal patch",
        )
    if isinstance(lk, dict) and lk.get("linkage_id"):
        fuzz_body(s, "PATCH", f"/cases/{cid}/linkages/{lk['linkage_id']}", lw, {"status": "referred"}, "linkage patch")
    if isinstance(st, dict) and st.get("star_id"):
        fuzz_body(
            s,
            "POST",
            f"/cases/{cid}/stars/{st['star_id']}/correction",
            lw,
            {"scores": scores, "reason": "typo"},
            "star correction",
        )
        fuzz_body(
            s, "POST", f"/cases/{cid}/stars/{st['star_id']}/void", lw, {"reason": "\x00"}, "star void(invalid base)"
        )
    fuzz_body(
        s,
        "POST",
        f"/cases/{cid}/extension",
        lw,
        {"reason": "r", "review_on": (today + timedelta(days=30)).isoformat()},
        "extension",
    )
    fuzz_body(
        s,
        "POST",
        f"/cases/{cid}/reassignment",
        lw,
        {"link_worker_id": "00000000-0000-0000-0000-000000000000"},
        "reassign",
    )
    fuzz_body(
        s,
        "POST",
        f"/cases/{cid}/discharge",
        lw,
        {"discharged_on": "9999-12-31", "reason": "\x00"},
        "discharge(invalid base)",
    )
    _, case = get_json(8002, f"/cases/{cid}", lw)
    print(
        "fresh case after probes:",
        {k: case.get(k) for k in ("status", "closed_on", "link_worker_id")} if isinstance(case, dict) else case,
    )


# ------------------------------------------------------------------------------------------ directory
def directory():
    s = "directory"
    op = token("--role", "operator")
    pages = ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms", "/organizations"]
    for p in pages:
        bad_query(s, op, p, ["page", "per_page"], PAGE_VALUES, f"list {p}")
    bad_query(
        s,
        op,
        "/services",
        ["search", "taxonomy_term_id", "taxonomy_id", "organization_id", "day"],
        ["\x00", "x" * 20000, "not-a-uuid", "%", "\\", "'", "a:*", "!!", "(", "&|"],
        "services",
    )
    bad_query(s, op, "/services", ["minimum_age", "maximum_age"], PAGE_VALUES, "services")
    bad_query(
        s, op, "/services", ["start_time", "end_time"], ["25:00", "\x00", "24:00", "23:59:60", "99", "-1"], "services"
    )
    bad_query(s, op, "/services", ["modified_after"], NASTY_DT + NASTY_DATE + ["\x00"], "services")
    bad_query(
        s,
        op,
        "/service_at_locations",
        ["postcode", "proximity", "search"],
        ["\x00", "x" * 20000, "NE4 6QA", "1e400", "-1", str(BIG), "NaN", "inf", "'"],
        "sal",
    )
    for p in [
        ("/service_at_locations", {"postcode": "NE4 6QA", "proximity": v})
        for v in [str(BIG), "1e308", "-5", "NaN", "inf", "0"]
    ]:
        req(s, "GET", p[0], op, params=p[1], label=f"sal proximity {p[1]}", expect_4xx=False)
    for tpl in [
        "/services/{id}",
        "/service_at_locations/{id}",
        "/taxonomies/{id}",
        "/taxonomy_terms/{id}",
        "/organizations/{id}",
    ]:
        bad_ids(s, op, tpl, f"GET {tpl}")
    bad_ids(s, op, "/services/{id}/status", "status", "POST", {"status": "active"})
    bad_ids(
        s,
        op,
        "/services/{id}",
        "PUT service",
        "PUT",
        {"organization_id": "d00af92f-b734-5808-b05f-1da37153b6d5", "name": "x"},
    )
    org = {
        "name": "Fuzz org",
        "description": "fuzz",
        "email": "a@b.example",
        "website": "https://example.org",
        "logo": None,
        "uri": None,
        "parent_organization_id": None,
    }
    fuzz_body(s, "POST", "/organizations", op, org, "create org")
    bad_ids(s, op, "/organizations/{id}", "PUT org", "PUT", org)
    svc_body = {
        "organization_id": "d00af92f-b734-5808-b05f-1da37153b6d5",
        "name": "Fuzz service",
        "description": "d",
        "status": "active",
        "minimum_age": 18,
        "maximum_age": 99,
        "assured_date": "2026-01-01",
        "schedules": [
            {
                "freq": "WEEKLY",
                "byday": "MO",
                "opens_at": "09:00",
                "closes_at": "17:00",
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "interval": 1,
            }
        ],
        "service_at_locations": [
            {
                "location": {
                    "location_type": "physical",
                    "name": "Hall",
                    "latitude": 54.97,
                    "longitude": -1.61,
                    "addresses": [
                        {
                            "address_1": "1 St",
                            "city": "Newcastle",
                            "state_province": "Tyne",
                            "postal_code": "NE4 6QA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                }
            }
        ],
        "cost_options": [{"valid_from": "2026-01-01", "valid_to": "2026-12-31", "amount": 5, "currency": "GBP"}],
    }
    fuzz_body(s, "POST", "/services", op, svc_body, "create service")


# ------------------------------------------------------------------------------------------ reporting
def reporting():
    s = "reporting"
    fin = token("--role", "finance")
    for path in ["/outcomes/payable", "/outcomes/00000000-0000-0000-0000-000000000000/evidence"]:
        bad_query(s, fin, path, ["as_of"], NASTY_DATE + ["\x00", "x" * 5000], path)
        bad_query(s, fin, path, ["known_at"], NASTY_DT + NASTY_DATE[:3] + ["\x00", "now"], path)
        for combo in [
            {"as_of": "9999-12-31", "known_at": "9999-12-31T23:59:59Z"},
            {"as_of": "0001-01-01", "known_at": "0001-01-01T00:00:00Z"},
            {"as_of": "9999-12-31", "known_at": "0001-01-01T00:00:00Z"},
        ]:
            for fmt in ["json", "csv", "xlsx"]:
                req(
                    s,
                    "GET",
                    path,
                    fin,
                    params={**combo, "format": fmt},
                    label=f"{path} {combo} {fmt}",
                    expect_4xx=False,
                )
    bad_query(
        s,
        fin,
        "/outcomes/payable",
        ["payer", "provider_id", "format"],
        ["\x00", "x" * 5000, "not-a-uuid", "XLSX"],
        "payable",
    )
    bad_ids(s, fin, "/outcomes/{id}/evidence", "evidence")
    for period in [
        "2026-13",
        "0000-01",
        "0001-01",
        "9999-12",
        "2026-1",
        "\x00",
        "x" * 5000,
        "2026-02-30",
        "-001-01",
        "2026-00",
        "10000-01",
        "٢٠٢٦-٠١",
    ]:
        req(s, "POST", "/claims", fin, json_body={"period": period}, label=f"claim period {period[:12]!r}")
        for fmt in ["json", "csv"]:
            req(
                s,
                "GET",
                "/claims/" + urllib.parse.quote(period),
                fin,
                params={"format": fmt},
                label=f"get claim {period[:12]!r} {fmt}",
            )
    fuzz_body(s, "POST", "/claims", fin, {"period": "2099-01"}, "claim")
    act_head = b"nhs_number,activity_type,activity_date,cost_pence\n"
    cost_head = b"quarter,per_head_cost_pence\n"
    csvs = {
        "/commissioner/hospital-activity": [
            act_head + b"9434765919,admission,2024-02-30,100\n",
            act_head + b"9434765919,admission,0000-01-01,100\n",
            act_head + b"9434765919,admission,9999-12-31,100\n",
            act_head + b"9434765919,admission,0001-01-01,100\n",
            act_head + b"9434765919,admission,2025-01-01,999999999999999\n",
            act_head + b"9434765919,admission,2025-01-01,9223372036854775808\n",
            act_head + b"9434765919\x00,admission,2025-01-01,1\n",
            act_head + b"\x00\n",
            act_head.replace(b"cost_pence", b"cost_pence\x00") + b"9434765919,admission,2025-01-01,1\n",
            b"\xff\xfe" + act_head,
            b"\xef\xbb\xbf" + act_head + b"9434765919,ae,2025-01-01,1\n",
            act_head + b'"9434765919,ae,2025-01-01,1\n',
            act_head + b"9434765919,ae,2025-01-01,1\r\r\n\x1a",
            act_head + b"943 476 5919,ae,2025-01-01,1\n",
            act_head + b"\xe9\xe9,ae,2025-01-01,1\n",
            act_head
            + b"\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9\xd9\xa9,ae,2025-01-01,\xd9\xa1\n",
            act_head + b"9434765919,ae,\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5-01-01,1\n",
            act_head + b"9434765919,ae,2025-01-01,1," * 1 + b"\n",
            act_head + (b"x" * 200_000) + b"\n",
            *([act_head + b"9434765919,ae,2025-01-01,1\n" * 60_000] if os.environ.get("BIG_UPLOADS") else []),
            b"",
            b"\n\n\n",
            b"a\rb\x00",
            act_head + b"9434765919,ae,2025-01-01,1\n",
        ],
        "/commissioner/comparison-costs": [
            cost_head + b"0000Q1,1\n",
            cost_head + b"9999Q4,1\n",
            cost_head + b"10000Q1,1\n",
            cost_head + b"2025Q5,1\n",
            cost_head + b"2025Q0,1\n",
            cost_head + b"-001Q1,1\n",
            cost_head + b"2025q1,1\n",
            cost_head + b"0001Q1,1\n",
            cost_head + b"\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa5Q1,1\n",
            cost_head + b"2025Q\xd9\xa1,1\n",
            cost_head + b"2025Q1,\xd9\xa1\n",
            cost_head + b"2025Q1\x00,1\n",
            cost_head + b"2025Q1,999999999999999\n",
            b"\xff" + cost_head,
            cost_head + b"x" * 300_000,
            b"quarter\n2025Q1\n",
            b"\x00",
            cost_head + b"2025Q1,1\n2025Q1,2\n",
            cost_head + b"+2025Q1,1\n",
            cost_head + b"2025Q1 ,1\n",
            cost_head + b"2019Q2,100\n",
        ],
    }
    for path, bodies in csvs.items():
        for body in bodies:
            for ct in ["text/csv"]:
                req(
                    s,
                    "POST",
                    path,
                    fin,
                    raw=body,
                    ctype=ct,
                    label=f"csv {body[:50]!r} ({len(body)}B)",
                    expect_4xx=False,
                )
        good = bodies[-1]  # a valid-looking upload
        for ct in [
            "application/json",
            "multipart/form-data; boundary=xx",
            "text/csv; charset=latin-1",
            None,
            "application/x-www-form-urlencoded",
        ]:
            req(s, "POST", path, fin, raw=good, ctype=ct, label=f"csv content-type {ct}")
        req(s, "POST", path, fin, raw=b'{"a":1}', ctype="application/json", label="json body to csv endpoint")
        req(
            s,
            "POST",
            path,
            fin,
            raw=bodies[0],
            ctype="text/csv",
            headers={"Idempotency-Key": "\x7f" + "k" * 199},
            label="idem key weird",
        )
        req(
            s,
            "POST",
            path,
            fin,
            raw=bodies[0],
            ctype="text/csv",
            headers={"Content-Encoding": "gzip"},
            label="claims gzip but not",
        )
    for m in ["/metrics/funnel", "/metrics/caseload", "/metrics/wellbeing", "/metrics/linkages"]:
        for fmt in ["json", "csv", "xlsx"]:
            req(s, "GET", m, fin, params={"format": fmt}, label=f"{m} {fmt}", expect_4xx=False)
        bad_query(s, fin, m, ["provider_id", "format"], ["\x00", "not-a-uuid", "x" * 5000], m)
    # provider manager scope with a broken token claim
    pm = token("--role", "provider_manager", "--provider-id", "not-a-uuid")
    for m in ["/metrics/funnel", "/outcomes/payable"]:
        req(s, "GET", m, pm, label=f"provider_manager with non-uuid provider claim {m}")
    lw = token("--role", "link_worker", "--provider-id", "x", "--link-worker-id", "y")
    req("engagement", "GET", "/cases", lw, label="link worker with non-uuid claims")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    which = sys.argv[1:] or ["reporting", "directory", "referral", "engagement"]
    tag = os.environ.get("TAG", "-".join(which))
    try:
        for name in which:
            print(f"=== {name} ===", flush=True)
            globals()[name]()
    finally:
        (OUT / f"probes-{tag}.json").write_text(
            json.dumps({"findings": findings, "suspects": suspects, "everything": everything}, indent=1)
        )
    print(f"\n{len(findings)} server errors, {len(suspects)} suspect 2xx; details in {OUT / f'probes-{tag}.json'}")


if __name__ == "__main__":
    main()
