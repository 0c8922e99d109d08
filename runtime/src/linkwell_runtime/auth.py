"""JWT bearer auth with roles and scopes (docs/architecture.md §4), as FastAPI dependencies.

Claims: `sub`, `role`, and the scope that role needs: `practice` (referrer), `provider_id`
(link worker, provider manager), `link_worker_id` (link worker). Object-level checks stay in each
service; this module only proves who the caller is and what they may ask for.

Every token names the services it is for (`aud`: `audience("referral")`, one or several) and its
lifetime (`iat`, `exp`); an API accepts only its own audience and refuses a lifetime longer than
`JWT_TTL_MINUTES`. Outside development and test, `sub` must name an accountable principal
(`subject_problem`): a person as `<identity provider>:<their id there>`, a service as `service:<name>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from contracts.roles import Role as Role  # re-exported: services import Role from here
from linkwell_runtime.settings import PlatformSettings

ALGORITHM = "HS256"
PLATFORM_SERVICES = ("referral", "engagement", "directory", "reporting")  # the APIs a token may be for
DEFAULT_TTL = timedelta(hours=8)  # = JWT_TTL_MINUTES' default, the longest lifetime a server accepts
_CLOCK_SKEW = timedelta(seconds=60)  # an `iat` this far ahead of the server's clock is still accepted


def audience(service: str) -> str:
    """The `aud` of tokens for one service's API: `urn:linkwell:<service>`."""
    return f"urn:linkwell:{service}"


ALL_AUDIENCES = tuple(audience(name) for name in PLATFORM_SERVICES)  # a development token for every API


class Principal(BaseModel):
    """The authenticated caller."""

    model_config = ConfigDict(frozen=True)

    sub: str
    role: Role
    practice: str | None = None
    provider_id: str | None = None
    link_worker_id: str | None = None

    @model_validator(mode="after")
    def _scope_matches_role(self) -> Principal:
        needed = {
            Role.REFERRER: ("practice",),
            Role.LINK_WORKER: ("provider_id", "link_worker_id"),
            Role.PROVIDER_MANAGER: ("provider_id",),
        }.get(self.role, ())
        missing = [claim for claim in needed if not getattr(self, claim)]
        if missing:
            raise ValueError(f"role {self.role} needs scope claims {missing}")
        for claim in ("provider_id", "link_worker_id"):  # ids of the platform: UUIDs, or the token is bad
            if getattr(self, claim) is not None:
                UUID(getattr(self, claim))
        return self


def mint_token(
    principal: Principal,
    secret: str,
    *,
    audience: str | Sequence[str],
    issuer: str = "linkwell",
    ttl: timedelta = DEFAULT_TTL,
) -> str:
    """A signed token for `principal`, for the services `audience` names (`audience("referral")`, or
    several: `ALL_AUDIENCES`), valid for `ttl` from now (a server refuses more than its cap)."""
    now = datetime.now(UTC)
    aud = audience if isinstance(audience, str) else list(audience)
    claims = principal.model_dump(mode="json", exclude_none=True) | {
        "iss": issuer,
        "aud": aud,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def mint_for(
    principal: Principal,
    settings: PlatformSettings,
    *services: str,
    ttl: timedelta | None = None,
) -> str:
    """`mint_token` with the settings' secret, issuer and cap (default lifetime: the cap), for the
    named services (none named: every platform API). What tests, the demo and the console call."""
    lifetime = ttl if ttl is not None else timedelta(minutes=settings.jwt_ttl_minutes)
    aud = [audience(s) for s in services] if services else list(ALL_AUDIENCES)
    return mint_token(principal, settings.jwt_secret, audience=aud, issuer=settings.jwt_issuer, ttl=lifetime)


def bearer(
    principal: Principal, settings: PlatformSettings, *services: str, ttl: timedelta | None = None
) -> dict[str, str]:
    """The `Authorization` header of `mint_for`'s token."""
    return {"Authorization": f"Bearer {mint_for(principal, settings, *services, ttl=ttl)}"}


def decode_token(
    token: str,
    secret: str,
    *,
    audience: str,
    issuer: str = "linkwell",
    max_ttl: timedelta = DEFAULT_TTL,
    named_subjects: bool = False,
) -> Principal:
    """Verify signature, expiry, issuer, audience and lifetime (exp - iat at most `max_ttl`), and with
    `named_subjects` that `sub` names an accountable principal; raise PermissionError with a short
    reason otherwise."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            issuer=issuer,
            audience=audience,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )
        principal = Principal.model_validate({k: v for k, v in claims.items() if k in Principal.model_fields})
    except jwt.ExpiredSignatureError:
        raise PermissionError("token expired") from None
    except jwt.InvalidAudienceError:
        raise PermissionError("invalid token: it is not for this service (aud)") from None
    except jwt.InvalidTokenError as exc:  # the kind only: the library's words may quote the token's claims
        raise PermissionError(f"invalid token ({type(exc).__name__})") from None
    except ValidationError:  # pydantic's words would echo the claims sent
        raise PermissionError("invalid token: its role or scope claims are not valid") from None
    issued, expires = claims["iat"], claims["exp"]
    if not isinstance(issued, int | float) or not isinstance(expires, int | float):
        raise PermissionError("invalid token: iat and exp must be numeric dates")
    if expires - issued > max_ttl.total_seconds():
        raise PermissionError(f"invalid token: its lifetime is longer than this service accepts ({max_ttl})")
    if issued > (datetime.now(UTC) + _CLOCK_SKEW).timestamp():
        raise PermissionError("invalid token: issued in the future (iat)")
    if named_subjects and (problem := subject_problem(principal)) is not None:
        raise PermissionError(f"invalid token: {problem}")
    return principal


_SERVICE_SUBJECT = re.compile(r"^service:[a-z][a-z0-9-]{1,62}$")
_PERSON_SUBJECT = re.compile(r"^([a-z][a-z0-9.-]{0,31}):(\S{1,200})$")
# Names shared by many people, or the development tools' own: never one accountable person.
_SHARED_NAMES = frozenset(
    {"admin", "administrator", "root", "system", "test", "demo", "user", "anonymous", "unknown", "console", "service"}
    | {role.value for role in Role}
)
_DEVELOPMENT_PREFIXES = ("demo-", "console-", "smoke-", "load-", "bench-", "test-")


def subject_problem(principal: Principal) -> str | None:
    """Why `sub` does not name an accountable principal (None when it does). Outside development:

    - role `service` (a platform service or data feed): `service:<name>`, lower-case letters, digits
      and hyphens, naming the system its operator answers for (e.g. `service:commissioner-feed`);
    - every other role is a person: `<identity provider>:<their subject there>` (the console signs
      people in as `oidc:<the provider's sub>`), never `service:...`, a role name, a shared name
      (admin, system, test, ...) or a development tool's name (`demo-...`, `console-...`).
    """
    sub = principal.sub
    if principal.role is Role.SERVICE:
        return None if _SERVICE_SUBJECT.match(sub) else "a service's sub must be service:<name>"
    match = _PERSON_SUBJECT.match(sub)
    if match is None:
        return "a person's sub must be <identity provider>:<their id there>"
    provider, who = match.group(1), match.group(2).lower()
    if provider == "service":
        return "a person's sub cannot name a service"
    if who in _SHARED_NAMES or who.startswith(_DEVELOPMENT_PREFIXES):
        return "sub must name one person, not a role, a shared account or a development user"
    return None


_bearer = HTTPBearer(auto_error=False)


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller, from `Authorization: Bearer`; 401 when absent or invalid."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    settings: PlatformSettings = request.app.state.settings
    expected = getattr(request.app.state, "jwt_audience", None) or settings.jwt_audience
    if not expected:  # an app that does not know its audience accepts no token (create_service_app sets it)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "this service has no token audience", {"WWW-Authenticate": "Bearer"}
        )
    try:
        return decode_token(
            credentials.credentials,
            settings.jwt_secret,
            audience=expected,
            issuer=settings.jwt_issuer,
            max_ttl=timedelta(minutes=settings.jwt_ttl_minutes),
            named_subjects=not settings.development,
        )
    except PermissionError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc), {"WWW-Authenticate": "Bearer"}) from None


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """Dependency factory: the caller must hold one of `roles`, else 403."""

    def check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {principal.role} may not do this")
        return principal

    return check
