"""Payable lines as the reporting API answers them, for the view-model tests."""

from __future__ import annotations

from console.domain.payable import Line, line_from_api

PROVIDER_A, PROVIDER_B = "00000000-0000-7000-8000-0000000000a1", "00000000-0000-7000-8000-0000000000a2"
WORKER = "00000000-0000-7000-8000-0000000000b1"
NAMES = {PROVIDER_A: "Changing Lives", PROVIDER_B: "First Contact Clinical"}
WORKERS = {WORKER: "Aisha Armstrong"}


def raw(n: int, *, amount: int = 20000, provider: str = PROVIDER_A, kind: str = "W", day: str = "2025-06-10") -> dict:
    shares = {"ccg": amount * 7 // 10, "cbo": amount * 2 // 10, "sof": amount - amount * 7 // 10 - amount * 2 // 10}
    line = {
        "outcome_id": f"00000000-0000-0000-0000-{n:012d}",
        "outcome_type": kind,
        "achieved_on": day,
        "amount": amount,
        "payer_shares": shares,
        "provider_id": provider,
        "link_worker_id": WORKER if kind == "W" else None,
        "rulebook": "w2w-2015@1",
    }
    if kind == "W":
        return line | {"patient_id": f"patient-{n}", "cohort": None, "measured_quarter": None}
    return line | {"patient_id": None, "cohort": "2024Q1", "measured_quarter": "2025Q2"}


def line(n: int, **kw) -> Line:
    return line_from_api(raw(n, **kw), NAMES, WORKERS)
