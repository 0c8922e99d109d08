"""What each caller may read (docs/security.md, docs/architecture.md §4, docs/domain.md §7), and the
audited opening of sealed fields.

Referrers see their practice's referrals, link workers their own caseload, provider managers their
organisation's (allocated to it, or eligible and waiting in its queue); only those three see
identifiable fields (decrypted, each read audited) and clinical content (conditions, mental health,
eligibility reasons, discharge summaries). Operators and the platform's services see every referral
without identity or clinical content; finance sees no referral at all (its view is the pseudonymous
ledger in reporting). A referrer is shown a patient id of its own practice's (`practice_patient_id`),
never the platform's, so two practices cannot tell they refer the same person, and `accepted` for a
referral waiting or allocated until first contact (`shown_to_practice`), so it cannot tell that one
is held behind another practice's episode. A referral outside
the caller's scope is answered as not found, so its existence does not leak.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from psycopg2.extensions import cursor as Cursor

from contracts.pii import EncryptedField, KeyShreddedError, decrypt_with, pseudonym
from contracts.roles import Role
from linkwell_runtime.auth import Principal
from linkwell_runtime.refusals import Forbidden, InvalidFields, NotFound
from referral.adapters import practice_summaries
from referral.adapters.access_audit import record_access
from referral.adapters.patient_keys import DatabaseKeyRing
from referral.adapters.projection import SEALED_FIELDS
from referral.adapters.referral_rows import ReferralFilter, list_referrals, list_unserved, referral_row
from referral.domain.practice_view import ACCEPTED, SHOWN_AS_ACCEPTED, practice_status
from referral.service_layer import shown_to_practice
from referral.service_layer.unit_of_work import ReferralUnitOfWork

_PURPOSE = {"reason": "referral_reason"}  # every other field is sealed under its own name


READERS = frozenset({Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER_MANAGER, Role.OPERATOR, Role.SERVICE})
CARERS = frozenset({Role.REFERRER, Role.LINK_WORKER, Role.PROVIDER_MANAGER})  # identity and clinical content


def ensure_reader(principal: Principal, roles: frozenset[Role] = READERS) -> None:
    """Role first (403 whatever the referral): finance reads outcomes in reporting, not referrals."""
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role.value} may not read referrals here")


def may_see(principal: Principal, row: dict[str, Any]) -> bool:
    match principal.role:
        case Role.REFERRER:
            return bool(row["practice_ods_code"] == principal.practice)
        case Role.LINK_WORKER:
            return row["link_worker_id"] is not None and str(row["link_worker_id"]) == principal.link_worker_id
        case Role.PROVIDER_MANAGER:
            if row["provider_id"] is not None:
                return str(row["provider_id"]) == principal.provider_id
            waiting = row["status"] == "eligible"  # in its queue; an ineligible referral was never the provider's
            return waiting and str(row["serving_provider_id"]) == principal.provider_id
    return principal.role in (Role.OPERATOR, Role.SERVICE)


def may_see_identity(principal: Principal) -> bool:
    return principal.role in CARERS


def practice_patient_id(key: bytes, practice: str | None, patient_id: Any) -> UUID:
    """The patient id a practice is shown: keyed by practice, so the same person referred by two
    practices has two unrelated ids, and a practice's own referrals of them share one."""
    return UUID(hex=pseudonym(f"{practice}|{patient_id}", key, "practice_patient_id")[:32])


def shown_patient_id(principal: Principal, key: bytes, patient_id: Any) -> Any:
    if principal.role is Role.REFERRER:
        return practice_patient_id(key, principal.practice, patient_id)
    return patient_id


def shown(cur: Cursor, principal: Principal, key: bytes, row: dict[str, Any]) -> dict[str, Any]:
    """A referral as this caller may see it (`shown_rows`)."""
    return shown_rows(cur, principal, key, [row])[0]


def shown_rows(cur: Cursor, principal: Principal, key: bytes, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Referrals as this caller may see them: no clinical content for operators and services; for a
    referrer the practice's own patient id, and `accepted` for eligible and allocated until first
    contact (`shown_to_practice`), the histories that needs read once for the lot."""
    views = [_narrowed(principal, key, row) for row in rows]
    if principal.role is not Role.REFERRER:
        return views
    steps = shown_to_practice.histories_needed(cur, rows)
    return [shown_to_practice.as_practice_sees(v, r, steps) for v, r in zip(views, rows, strict=True)]


def _narrowed(principal: Principal, key: bytes, row: dict[str, Any]) -> dict[str, Any]:
    view = public_fields(row)
    view["patient_id"] = shown_patient_id(principal, key, row["patient_id"])
    view["episode"] = episode(principal, row)
    view["entries_correction"] = entries_correction(principal, row)
    if principal.role not in CARERS:
        view |= {"conditions": None, "mental_health": None}
        view["eligibility"] = {"eligible": row["eligible"], "reasons": None}
    return view


def discharge_summary(cur: Cursor, principal: Principal, key: bytes, row: dict[str, Any]) -> dict[str, Any] | None:
    """The episode's summary (`ReferralClosed`) with, once it came, the one engagement sent the practice
    (`sent_to_practice`: the Star change, goals and services only with the patient's consent)."""
    summary = row["summary"]
    if summary is None or principal.role not in CARERS:
        return None
    view = dict(summary) | {
        "patient_id": shown_patient_id(principal, key, summary.get("patient_id")),
        "sent_to_practice": practice_summaries.sent_to_practice(cur, row["referral_id"]),
    }
    if principal.role is Role.REFERRER:
        return shown_to_practice.summary_as_practice_sees(view, row)
    return view


def visible_row(cur: Cursor, principal: Principal, referral_id: UUID) -> dict[str, Any]:
    row = referral_row(cur, referral_id)
    if row is None or not may_see(principal, row):
        raise NotFound(f"no referral {referral_id}")
    return row


def referral_row_or_404(cur: Cursor, referral_id: UUID) -> dict[str, Any]:
    """The row after a change the caller was allowed to make (a move may take it out of their scope)."""
    row = referral_row(cur, referral_id)
    if row is None:
        raise NotFound(f"no referral {referral_id}")
    return row


def referral_view(uow: ReferralUnitOfWork, principal: Principal, referral_id: UUID) -> dict[str, Any]:
    ensure_reader(principal)
    row = visible_row(uow.cur, principal, referral_id)
    view = shown(uow.cur, principal, uow.pseudonym_key, row)
    view["patient"] = _open_identity(uow, principal, row) if may_see_identity(principal) else None
    view["discharge_summary"] = discharge_summary(uow.cur, principal, uow.pseudonym_key, row)
    return view


def identities(uow: ReferralUnitOfWork, principal: Principal, referral_ids: list[UUID]) -> list[dict[str, Any]]:
    """The patients of several referrals in one read (a caseload's names): each the caller may see,
    in the order asked, opened and audited as `referral_view` does (one `access_audit` row per
    referral opened, all in the caller's one transaction). An unknown or out-of-scope id is left out,
    as its own read would be 404; only the roles that see identity may ask (403)."""
    ensure_reader(principal, CARERS)
    found = []
    for referral_id in dict.fromkeys(referral_ids):
        row = referral_row(uow.cur, referral_id)
        if row is not None and may_see(principal, row):
            found.append({"referral_id": referral_id, "patient": _open_identity(uow, principal, row)})
    return found


def scoped_list(
    cur: Cursor, principal: Principal, key: bytes, wanted: ReferralFilter, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """The page of referrals matching `wanted` within the caller's scope (never identifiable): a
    filter can only narrow the scope, never widen it."""
    ensure_reader(principal)
    scope = {
        Role.REFERRER: ("practice", principal.practice),
        Role.LINK_WORKER: ("link_worker_id", principal.link_worker_id),
        Role.PROVIDER_MANAGER: ("provider_id", principal.provider_id),
    }.get(principal.role)
    if scope is not None:
        name, value = scope
        asked = getattr(wanted, name)
        if asked is not None and str(asked) != str(value):
            return [], 0  # asking outside one's scope finds nothing
        within: dict[str, Any] = {name: value}
        wanted = replace(wanted, **within)
    rows, total = list_referrals(cur, wanted, page, page_size)
    return shown_rows(cur, principal, key, rows), total


def status_shown(principal: Principal, status: str) -> str:
    """The status a caller is told: a referrer `accepted` for eligible and allocated."""
    return practice_status(status) if principal.role is Role.REFERRER else status


def statuses_listed(principal: Principal, asked: str | None) -> tuple[str, ...] | None:
    """The real statuses a list's `status` filter stands for. A referrer's `accepted` is eligible and
    allocated; its `eligible` or `allocated` would tell them apart, so it is refused and told what to
    ask for (a practice system asking for a status it is never shown gets a clear answer, not a list
    of `accepted` ones). `accepted` means nothing to other roles, who see the real statuses."""
    if asked is None:
        return None
    if principal.role is Role.REFERRER:
        if asked in SHOWN_AS_ACCEPTED:
            raise _status_refused(
                "a practice sees eligible and allocated referrals as accepted: ask for status=accepted"
            )
        return tuple(sorted(SHOWN_AS_ACCEPTED)) if asked == ACCEPTED else (asked,)
    if asked == ACCEPTED:
        raise _status_refused("accepted is what a referring practice is shown: ask for eligible or allocated")
    return (asked,)


def _status_refused(message: str) -> InvalidFields:
    return InvalidFields([(["query", "status"], message)])


def unserved_queue(
    cur: Cursor, principal: Principal, key: bytes, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """Eligible referrals waiting because no provider serves their practice (never identifiable, no
    clinical content); the route admits operators only."""
    rows, total = list_unserved(cur, page, page_size)
    return [
        v | {"received_at": r["received_at"]} for v, r in zip(shown_rows(cur, principal, key, rows), rows, strict=True)
    ], total


def public_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "referral_id": row["referral_id"],
        "patient_id": row["patient_id"],
        "status": row["status"],
        "status_since": row["status_since"],
        "practice_ods_code": row["practice_ods_code"],
        "provider_id": row["provider_id"],
        "link_worker_id": row["link_worker_id"],
        "referrer": {"name": row["referrer_name"], "role": row["referrer_role"]},
        "referred_on": row["referred_on"],
        "age_at_referral": row["age_at_referral"],
        "sex": row["sex"],
        "conditions": row["conditions"],
        "mental_health": row["mental_health"],
        "eligibility": {"eligible": row["eligible"], "reasons": row["ineligibility"]},
        "withdrawal": row["withdrawal"],
    }


def episode(principal: Principal, row: dict[str, Any]) -> dict[str, Any]:
    """A re-referral's place among the patient's episodes (docs/domain.md §3.7), as far as the caller
    may know it: a caller sees an earlier episode exactly when they could open that referral themselves
    (a referrer their practice's, a link worker those they held, a manager its provider's; operators and
    services all, without the reasons, which are clinical). So a practice never learns that the patient
    is known through another practice, and the number counts only the episodes shown."""
    earlier = [e for e in row["earlier_episodes"] if may_see(principal, _as_row(e))]
    if not earlier:
        return {"number": 1, "previous": None}
    last = earlier[-1]
    reason = last.get("discharge_reason") or last.get("decline_reason")
    return {
        "number": len(earlier) + 1,
        "previous": {
            "referral_id": last["referral_id"],
            "status": last["status"],
            "referred_on": last["referred_on"],
            "closed_on": last["closed_on"],
            "reason": reason if principal.role in CARERS else None,
            "link_worker_id": last["link_worker_id"],
        },
    }


def _as_row(earlier: dict[str, Any]) -> dict[str, Any]:
    """An earlier episode as `may_see` reads a referral (it has ended: no provider's queue holds it)."""
    return {
        "practice_ods_code": earlier["practice_ods_code"],
        "provider_id": earlier["provider_id"],
        "link_worker_id": earlier["link_worker_id"],
        "status": earlier["status"],
        "serving_provider_id": None,
    }


def entries_correction(principal: Principal, row: dict[str, Any]) -> dict[str, Any] | None:
    """The latest correction of the referral's entries; the criteria it fails are clinical."""
    correction = row["entries_correction"]
    if correction is None or principal.role in CARERS:
        return correction
    return dict(correction) | {"criteria_failed": None}


def _open_identity(uow: ReferralUnitOfWork, principal: Principal, row: dict[str, Any]) -> dict[str, Any]:
    """Decrypt the sealed fields and audit the read; a shredded key shows the patient as erased."""
    keys, opened = DatabaseKeyRing(uow.cur, uow.settings.key_encryption_keys), {}
    try:
        for name in SEALED_FIELDS:
            sealed = row["sealed"].get(name)
            opened[name] = (
                None
                if sealed is None
                else decrypt_with(EncryptedField.model_validate(sealed), keys, _PURPOSE.get(name, name))
            )
    except KeyShreddedError:
        return {"erased": True}
    record_access(
        uow.cur,
        principal,
        "read_identifiable",
        row["patient_id"],
        [n for n, v in opened.items() if v is not None],
        uow.now,
        referral_id=row["referral_id"],
    )
    return opened | {"erased": False}
