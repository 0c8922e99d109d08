"""The session and CSRF cookies: signed (itsdangerous), HttpOnly, SameSite=Lax, Secure outside development.
The session cookie names a server-side session (`session_store`): a valid signature alone is not enough."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

SESSION_COOKIE = "linkwell_session"
CSRF_COOKIE = "linkwell_csrf"


@dataclass(frozen=True)
class Session:
    """Who is signed in: their name, role and provider (a manager's), for the pages; the claims each
    request's short-lived API token is minted from (`people.api_token`: no token is ever in the
    cookie); the id of their server-side session (`session_store`; empty until it is started)."""

    name: str
    role: str
    claims: dict[str, str]
    provider_id: str | None = None
    session_id: str = ""


def _signer_on(clock: Callable[[], float]) -> type[TimestampSigner]:
    """itsdangerous' timestamp signer reading the console's clock (so tests fix time, never wait)."""

    class ClockedSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock())

    return ClockedSigner


class Cookies:
    def __init__(self, secret: str, max_age_seconds: int, clock: Callable[[], float] = time.time) -> None:
        signer = _signer_on(clock)
        self._session = URLSafeTimedSerializer(secret, salt="linkwell-console-session", signer=signer)
        self._csrf = URLSafeTimedSerializer(secret, salt="linkwell-console-csrf", signer=signer)
        self.max_age = max_age_seconds

    def session_value(self, session: Session) -> str:
        return self._session.dumps(asdict(session))

    def session(self, value: str | None) -> Session | None:
        """The session in the cookie, or None when absent, tampered with or expired."""
        if not value:
            return None
        try:
            found: dict[str, Any] = self._session.loads(value, max_age=self.max_age)
        except (BadSignature, SignatureExpired):
            return None
        try:
            session = Session(**found)
        except TypeError:  # signed by an older console, in another shape: signed out
            return None
        return session if session.session_id else None

    def new_csrf_value(self) -> str:
        return self._csrf.dumps(secrets.token_urlsafe(24))

    def csrf_valid(self, cookie: str | None, submitted: str | None) -> bool:
        """The form's token is the cookie's (double submit), and the cookie is one this console signed."""
        if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
            return False
        try:
            self._csrf.loads(cookie)
        except BadSignature:
            return False
        return True
