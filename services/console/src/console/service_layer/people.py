"""Development sign-in: the demo's people per role, from the referral service's reference data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.adapters.sessions import Session
from console.config import Settings
from linkwell_runtime.auth import Principal, Role, mint_for


@dataclass(frozen=True)
class DemoUser:
    key: str  # what the sign-in form posts
    role: Role
    label: str
    provider_id: str | None = None
    link_worker_id: str | None = None
    practice: str | None = None


def operator_token(settings: Settings) -> str:
    """The console's own short-lived token, only to read reference data for the sign-in page."""
    principal = Principal(sub="console", role=Role.OPERATOR)
    return mint_for(principal, settings, "referral", ttl=timedelta(minutes=5))


def demo_users(api: PlatformApi) -> tuple[list[DemoUser], bool]:
    """Finance, operator and auditor always; managers per provider, link workers and referrers when the referral
    service answers (False when it did not)."""
    users = [
        DemoUser("finance", Role.FINANCE, "Finance team"),
        DemoUser("operator", Role.OPERATOR, "Platform operator"),
        DemoUser("auditor", Role.AUDITOR, "Auditor (the access audit)"),
    ]
    try:
        providers = api.providers()
        workers = api.link_workers_listed()
        practices = api.practices()
    except (ApiUnavailable, ApiRefused):
        return users, False
    for provider_id, name in providers.items():
        users.append(DemoUser(f"manager:{provider_id}", Role.PROVIDER_MANAGER, f"Manager, {name}", provider_id))
    for worker in _busiest(workers, per_provider=2):
        worker_id, provider_id = str(worker["link_worker_id"]), str(worker["provider_id"])
        users.append(
            DemoUser(
                f"worker:{provider_id}:{worker_id}",
                Role.LINK_WORKER,
                f"{worker.get('display_name')}, {providers.get(provider_id, 'link worker')}",
                provider_id,
                worker_id,
            )
        )
    for practice in practices[:3]:
        ods = str(practice["ods_code"])
        users.append(
            DemoUser(f"referrer:{ods}", Role.REFERRER, f"Referrer at {practice.get('name')} ({ods})", practice=ods)
        )
    return users, True


def _busiest(workers: list[dict[str, Any]], per_provider: int) -> list[dict[str, Any]]:
    """Per provider, the link workers with the most open cases (a demo user with nothing to do shows
    nothing), by provider then caseload."""
    ranked = sorted(
        (w for w in workers if w.get("active", True)),
        key=lambda w: (str(w["provider_id"]), -(w.get("active_caseload") or 0), str(w.get("display_name"))),
    )
    chosen: list[dict[str, Any]] = []
    for worker in ranked:
        if sum(str(c["provider_id"]) == str(worker["provider_id"]) for c in chosen) < per_provider:
            chosen.append(worker)
    return chosen


def sign_in(settings: Settings, user: DemoUser) -> Session:
    principal = Principal(
        sub=f"console-{user.key}",
        role=user.role,
        provider_id=user.provider_id,
        link_worker_id=user.link_worker_id,
        practice=user.practice,
    )
    return Session(name=user.label, role=user.role.value, claims=_claims(principal), provider_id=user.provider_id)


API_TOKEN_MINUTES = 10  # longer than any page or download takes; a token seen elsewhere is soon useless
CALLED_SERVICES = (
    "referral",
    "engagement",
    "reporting",
)  # the APIs the console calls (PlatformApi): its tokens' audience


def api_token(settings: Settings, session: Session) -> str:
    """The token one request calls the APIs with, minted from the session's claims. Short-lived, and
    never sent to the browser: once the session is over (signed out, idle, expired) no new one is made."""
    principal = Principal.model_validate(session.claims)
    ttl = timedelta(minutes=API_TOKEN_MINUTES)
    return mint_for(principal, settings, *CALLED_SERVICES, ttl=ttl)


def _claims(principal: Principal) -> dict[str, str]:
    return {k: str(v) for k, v in principal.model_dump(mode="json", exclude_none=True).items()}


class NotAPlatformUser(Exception):
    """The identity provider vouched for someone the platform has no role for."""


def from_identity(settings: Settings, claims: dict[str, object]) -> Session:
    """A session for an OpenID Connect sign-in: the role and scope from the ID token's claims
    (`OIDC_ROLE_CLAIM`, `OIDC_PROVIDER_CLAIM`, `linkwell_link_worker_id`, `linkwell_practice`)."""
    try:
        role = Role(str(claims.get(settings.oidc_role_claim)))
        if role == Role.SERVICE:
            raise ValueError("a service is not a person")
        principal = Principal(
            sub=f"oidc:{claims['sub']}",
            role=role,
            provider_id=_text(claims.get(settings.oidc_provider_claim)),
            link_worker_id=_text(claims.get("linkwell_link_worker_id")),
            practice=_text(claims.get("linkwell_practice")),
        )
    except (ValueError, KeyError) as exc:
        raise NotAPlatformUser(f"your account has no Linkwell role ({type(exc).__name__})") from None
    name = _text(claims.get("name")) or _text(claims.get("email")) or str(claims["sub"])
    return Session(name=name, role=role.value, claims=_claims(principal), provider_id=principal.provider_id)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
