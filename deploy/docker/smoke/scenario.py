"""The compose smoke scenario, run inside linkwell/python on the host network against a running
platform (docker-compose.yml): a referral posted over HTTP becomes a case in engagement, its
Well-being Stars a payable W line in reporting (20000 pence), the directory answers ORUK, and the
console answers its probes, lists every demo person on its sign-in page and shows finance the line.

Ports: REFERRAL_URL, ENGAGEMENT_URL, DIRECTORY_URL, REPORTING_URL, CONSOLE_URL (default the compose ports);
tokens are signed with JWT_SECRET (the platform's). Exit 0 on success; every failure says which step.
"""

from __future__ import annotations

import os
import random
import re
import sys
import time
from datetime import UTC, date, datetime, timedelta

import httpx

from linkwell_runtime.auth import ALL_AUDIENCES, Principal, Role, mint_token
from linkwell_runtime.settings import DEVELOPMENT_JWT_SECRET

SECRET = os.environ.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET)
URLS = {
    name: os.environ.get(f"{name.upper()}_URL", f"http://127.0.0.1:{port}")
    for name, port in (
        ("console", 8000),
        ("referral", 8001),
        ("engagement", 8002),
        ("directory", 8003),
        ("reporting", 8004),
    )
}
AREAS = ("lifestyle", "looking_after_yourself", "managing_symptoms", "work_volunteering", "money",
         "where_you_live", "family_and_friends", "feeling_positive")  # fmt: skip


def token(role: Role, **scope: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {mint_token(Principal(sub=f'smoke-{role}', role=role, **scope), SECRET, audience=ALL_AUDIENCES)}"
    }


def scores(total: int) -> dict[str, int]:
    base, extra = divmod(total, 8)
    return {area: base + (1 if i < extra else 0) for i, area in enumerate(AREAS)}


def nhs_number(rng: random.Random) -> str:
    """A valid (mod 11) NHS number in the 9xx test range, unlikely to be one of the demo's."""
    while True:
        digits = [9] + [rng.randrange(10) for _ in range(8)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def wait_for(what: str, probe, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = probe()
        except httpx.TransportError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise SystemExit(f"smoke: timed out after {timeout:.0f}s waiting for {what}")


def step(what: str) -> None:
    print(f"smoke: {what}", flush=True)


def main() -> int:
    http = {name: httpx.Client(base_url=url, timeout=30) for name, url in URLS.items()}
    step("directory answers ORUK")
    root = http["directory"].get("/").json()
    assert str(root.get("version", "")).startswith("3.0"), root
    services = http["directory"].get("/services").json()
    assert services["total_items"] > 0 and services["contents"], services
    print(f"smoke:   ORUK {root['version']}, {services['total_items']} services")

    step("a referral posted over HTTP")
    referred_on = date.today() - timedelta(days=200)
    rng = random.Random()
    answer = None
    for _ in range(5):  # an NHS number the demo already used would be refused (open episode): try another
        answer = http["referral"].post(
            "/referrals",
            headers=token(Role.REFERRER, practice="A85001") | {"Idempotency-Key": f"smoke-{rng.random()}"},
            json={
                "nhs_number": nhs_number(rng),
                "given_name": "Joan",
                "family_name": "Smoke",
                "date_of_birth": "1965-03-14",
                "sex": "female",
                "postcode": "NE4 6QA",
                "phone": "0191 496 0000",
                "practice_ods_code": "A85001",
                "referrer": {"name": "Dr A Khan", "role": "gp"},
                "conditions": ["type2_diabetes"],
                "mental_health": [],
                "referred_on": referred_on.isoformat(),
            },
        )
        if answer.status_code == 201:
            break
    assert answer is not None and answer.status_code == 201, answer.text if answer else None
    referral = answer.json()
    assert referral["status"] == "accepted", referral  # a practice is not told held from allocated
    # A referrer is shown its practice's own id for the patient; the ledger uses the platform's,
    # which an operator sees (without identity).
    seen = http["referral"].get(f"/referrals/{referral['referral_id']}", headers=token(Role.OPERATOR))
    assert seen.status_code == 200, seen.text
    patient_id = seen.json()["patient_id"]
    assert seen.json()["status"] == "allocated", seen.text  # the operator's view says who holds it
    case_id, provider, worker_id = referral["referral_id"], seen.json()["provider_id"], seen.json()["link_worker_id"]
    worker = token(Role.LINK_WORKER, provider_id=provider, link_worker_id=worker_id)

    step("the case opens in engagement (through Kafka)")
    wait_for(
        "the case in engagement", lambda: http["engagement"].get(f"/cases/{case_id}", headers=worker).status_code == 200
    )
    contact_at = datetime.combine(referred_on + timedelta(days=5), datetime.min.time(), UTC) + timedelta(hours=10)
    answer = http["engagement"].post(
        f"/cases/{case_id}/contacts",
        headers=worker,
        json={"occurred_at": contact_at.isoformat(), "mode": "face_to_face", "duration_minutes": 45, "attended": True},
    )
    assert answer.status_code == 201, answer.text
    baseline_on = referred_on + timedelta(days=10)
    review_on = baseline_on + timedelta(days=150)
    for taken_on, total in ((baseline_on, 40), (review_on, 42)):
        answer = http["engagement"].post(
            f"/cases/{case_id}/stars", headers=worker, json={"taken_on": taken_on.isoformat(), "scores": scores(total)}
        )
        assert answer.status_code == 201, answer.text

    step("the payable W line appears in reporting")
    finance = token(Role.FINANCE)

    def line():
        # the patient's lines (`search`; a reporting API without it answers every line: filtered below)
        answer = http["reporting"].get("/outcomes/payable", params={"search": patient_id}, headers=finance)
        if answer.status_code != 200:
            return None
        mine = [x for x in answer.json()["lines"] if x["patient_id"] == patient_id]
        return mine[0] if mine else None

    found = wait_for("the payable line in reporting", line, timeout=90)
    assert found["outcome_type"] == "W" and found["amount"] == 20000, found
    assert found["achieved_on"] == review_on.isoformat(), found
    print(f"smoke:   payable {found['outcome_type']} line of {found['amount']} pence, shares {found['payer_shares']}")

    step("the console answers, and shows finance the line")
    console = http["console"]
    for probe in ("/health", "/ready"):
        answer = console.get(probe)
        assert answer.status_code == 200, (probe, answer.status_code, answer.text)
    page = console.get("/sign-in")
    assert page.status_code == 200 and "<h1>Sign in</h1>" in page.text, (page.status_code, page.text[:500])
    assert "Some users are missing" not in page.text, "the console could not list the referral service's people"
    people = re.findall(r'value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)<span[^>]*>\(([^)]+)\)', page.text)
    roles = {role for _, _, role in people}
    assert {"finance", "link worker", "referrer"} <= roles, roles
    finance_key = next(key for key, _, role in people if role == "finance")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, "no CSRF token on the sign-in form"
    answer = console.post("/sign-in", data={"csrf_token": csrf.group(1), "user": finance_key})
    assert answer.status_code == 303, (answer.status_code, answer.text[:500])
    payable = console.get("/payable", params={"search": patient_id})
    shown = re.search(r'id="shown">1 lines? match, totalling <strong>£200\.00</strong>', payable.text)
    assert payable.status_code == 200 and shown, (payable.status_code, payable.text[:1500])
    print(f"smoke:   console: {len(people)} people on the sign-in page; finance sees the £200.00 line")
    step("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
