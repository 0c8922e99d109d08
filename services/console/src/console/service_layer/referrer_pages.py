"""A referrer's pages put together (issue 19): their practice's referrals from the referral API (which
narrows every read to the referrer's own practice), each with its patient's name read for the request
(the referral service audits every such read), and one referral with its discharge summary."""

from __future__ import annotations

from typing import Any

from console.adapters.platform_api import PlatformApi
from console.domain import caseload as cl
from console.domain import referrals as rf
from console.domain.star_chart import AREA_NAMES
from console.service_layer.casework import patients
from console.service_layer.referral_form import ROLE_WORDS

PAGE_SIZE = 25  # each row's name is one audited read: a page a referrer reads, not the whole history


def practice_referrals(api: PlatformApi, practice: str, page: int) -> dict[str, Any]:
    """One page of the practice's referrals, newest first, with where each one is."""
    first = api.referrals(practice=practice, page=1, page_size=1)
    total = int(first["total"])
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    # the API lists oldest first: the newest page is its last, read backwards
    api_page = pages - page + 1
    items = (
        list(reversed(api.referrals(practice=practice, page=api_page, page_size=PAGE_SIZE)["items"])) if total else []
    )
    names = patients(api, (str(item["referral_id"]) for item in items))
    rows = [rf.row(item, names[str(item["referral_id"])].name) for item in items]
    return {"rows": rows, "page": page, "pages": pages, "total": total}


def referral_page(api: PlatformApi, referral_id: str) -> dict[str, Any]:
    """One referral: the patient (an audited read), where it is, its eligibility and, once the episode
    ended, its discharge summary (dates, codes and counts)."""
    referral = api.referral(referral_id)
    status = str(referral["status"])
    shown = cl.patient(referral.get("patient"))
    role = str((referral.get("referrer") or {}).get("role") or "")
    return {
        "referral": referral,
        "patient": shown,
        "nhs_number": cl.nhs_spaced(shown.nhs_number),
        "referrer_role": ROLE_WORDS.get(role, role.replace("_", " ")),
        "status_words": rf.STATUS_WORDS.get(status, status),
        "steps": rf.progress(status),
        "reasons": (referral.get("eligibility") or {}).get("reasons") or [],
        "summary": rf.summary_lines(referral.get("discharge_summary")),
        "sent": rf.sent_to_practice((referral.get("discharge_summary") or {}).get("sent_to_practice"), AREA_NAMES),
    }
