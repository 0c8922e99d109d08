"""Two episodes ending at once, each patient with a referral held at the other's provider: each ending
drains the queue of the provider whose place it freed and the queue holding the patient's other
referral, locking those providers' link workers. Taken in a different order by each, that is a
deadlock (PostgreSQL fails one of them: a 503); in provider id order (allocation.drain_queues), one
waits for the other and both go through.

The moment is made certain rather than hoped for: a third transaction holds both providers' link
workers until both withdrawals are waiting for a lock, then lets go, so each takes its first provider
at the same instant."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg2
from referral_testkit import OTHER_PRACTICE, PRACTICE, VALID_NHS, referral_body, with_allocation

from linkwell_runtime.testing import wait_until
from referral.adapters.reference_seed import provider_id

FIRST_CONTACT = provider_id("First Contact Clinical")  # serves OTHER_PRACTICE
CHANGING_LIVES = provider_id("Changing Lives")  # serves PRACTICE


def _refer(client, token, practice: str, nhs_number: str) -> dict:
    body = referral_body(practice_ods_code=practice, nhs_number=nhs_number, referred_on="2024-06-03")
    answer = client.post("/referrals", json=body, headers=token("referrer", practice=practice))
    assert answer.status_code == 201, answer.text
    return answer.json()


def _waiting_for_a_lock(dsn: str) -> int:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        (waiting,) = cur.fetchone()
    conn.close()
    return int(waiting)


def test_two_patients_episodes_ending_together_with_referrals_held_at_each_others_provider(client, token, settings):
    # patient one: allocated at Changing Lives, held at First Contact; patient two the other way round
    one_open = _refer(client, token, PRACTICE, VALID_NHS[0])
    one_held = _refer(client, token, OTHER_PRACTICE, VALID_NHS[0])
    two_open = _refer(client, token, OTHER_PRACTICE, VALID_NHS[1])
    two_held = _refer(client, token, PRACTICE, VALID_NHS[1])
    real = [with_allocation(client, token, r)["status"] for r in (one_open, one_held, two_open, two_held)]
    assert real == [
        "allocated",
        "eligible",
        "allocated",
        "eligible",
    ]

    dsn = settings.database_url
    blocker = psycopg2.connect(dsn)
    try:
        with blocker.cursor() as cur:
            cur.execute(
                "SELECT link_worker_id FROM link_workers WHERE provider_id = ANY(%s::uuid[]) FOR UPDATE",
                ([str(CHANGING_LIVES), str(FIRST_CONTACT)],),
            )

        def withdraw(referral: dict, practice: str):
            return client.post(
                f"/referrals/{referral['referral_id']}/withdrawal",
                json={"reason": "duplicate"},
                headers=token("referrer", practice=practice),
            )

        with ThreadPoolExecutor(2) as pool:
            answers = [
                pool.submit(withdraw, one_open, PRACTICE),
                pool.submit(withdraw, two_open, OTHER_PRACTICE),
            ]
            wait_until(lambda: _waiting_for_a_lock(dsn) >= 2, timeout=30, what="both withdrawals waiting for a lock")
            blocker.commit()  # both take their first provider now
            results = [a.result(timeout=60) for a in answers]
    finally:
        blocker.close()

    assert [r.status_code for r in results] == [200, 200], [r.text for r in results]
    for referral in (one_held, two_held):
        seen = client.get(f"/referrals/{referral['referral_id']}", headers=token("operator"))
        assert seen.json()["status"] == "allocated"
