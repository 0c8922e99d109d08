"""JWT bearer auth with roles and scopes (docs/architecture.md §4), as FastAPI dependencies.

Claims: `sub`, `role`, and the scope that role needs: `practice` (referrer), `provider_id`
(link worker, provider manager), `link_worker_id` (link worker). Object-level checks stay in each
service; this module only proves who the caller is and what they may ask for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from contracts.roles import Role as Role  # re-exported: services import Role from here

ALGORITHM = "HS256"


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
    principal: Principal, secret: str, *, issuer: str = "linkwell", ttl: timedelta = timedelta(hours=8)
) -> str:
    now = datetime.now(UTC)
    claims = principal.model_dump(mode="json", exclude_none=True) | {"iss": issuer, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(token: str, secret: str, *, issuer: str = "linkwell") -> Principal:
    """Verify signature, expiry and issuer; raise PermissionError with a short reason otherwise."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=issuer, options={"require": ["exp", "sub"]})
        return Principal.model_validate({k: v for k, v in claims.items() if k in Principal.model_fields})
    except jwt.ExpiredSignatureError:
        raise PermissionError("token expired") from None
    except jwt.InvalidTokenError as exc:  # the kind only: the library's words may quote the token's claims
        raise PermissionError(f"invalid token ({type(exc).__name__})") from None
    except ValidationError:  # pydantic's words would echo the claims sent
        raise PermissionError("invalid token: its role or scope claims are not valid") from None


_bearer = HTTPBearer(auto_error=False)


def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    """The caller, from `Authorization: Bearer`; 401 when absent or invalid."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", {"WWW-Authenticate": "Bearer"})
    settings = request.app.state.settings
    try:
        return decode_token(credentials.credentials, settings.jwt_secret, issuer=settings.jwt_issuer)
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
