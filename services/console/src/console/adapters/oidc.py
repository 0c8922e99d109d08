"""OpenID Connect sign-in against the organisation's identity provider: the authorization code flow
with PKCE (authlib's helpers), the ID token verified against the provider's published keys (joserfc,
authlib's JOSE library): signature, issuer, audience, expiry and nonce."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, cast
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

PENDING_COOKIE = "linkwell_oidc"
PENDING_SECONDS = 600  # the person has ten minutes at the identity provider


class SignInFailed(Exception):
    """The identity provider's answer could not be trusted or used: the reason, for the page."""


@dataclass(frozen=True)
class Pending:
    """What the callback must match: the state, the nonce and the PKCE verifier."""

    state: str
    nonce: str
    verifier: str


class OidcClient:
    def __init__(
        self, http: httpx.Client, *, issuer: str, client_id: str, client_secret: str, redirect_url: str, secret: str
    ) -> None:
        self._http = http
        self.issuer, self.client_id, self._client_secret, self.redirect_url = (
            issuer,
            client_id,
            client_secret,
            redirect_url,
        )
        self._pending = URLSafeTimedSerializer(secret, salt="linkwell-console-oidc")
        self._metadata: dict[str, Any] | None = None

    def close(self) -> None:
        self._http.close()

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            self._metadata = self._get(f"{self.issuer.rstrip('/')}/.well-known/openid-configuration")
        return self._metadata

    def start(self) -> tuple[str, str]:
        """The identity provider's URL to send the browser to, and the signed cookie value to remember."""
        pending = Pending(generate_token(32), generate_token(32), generate_token(64))
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_url,
            "scope": "openid profile email",
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": create_s256_code_challenge(pending.verifier),
            "code_challenge_method": "S256",
        }
        return f"{self.metadata()['authorization_endpoint']}?{urlencode(query)}", self._pending.dumps(asdict(pending))

    def finish(self, cookie: str | None, state: str, code: str) -> dict[str, Any]:
        """The verified ID token's claims for the code the provider sent back."""
        pending = self._read(cookie)
        if not state or state != pending.state:
            raise SignInFailed("the sign-in answer does not belong to this browser's sign-in (state)")
        if not code:
            raise SignInFailed("the identity provider sent no authorization code")
        tokens = self._post(
            self.metadata()["token_endpoint"],
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_url,
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "code_verifier": pending.verifier,
            },
        )
        if "id_token" not in tokens:
            raise SignInFailed("the identity provider sent no ID token")
        return self._verified(str(tokens["id_token"]), pending.nonce)

    def _verified(self, id_token: str, nonce: str) -> dict[str, Any]:
        keys = KeySet.import_key_set(cast(Any, self._get(self.metadata()["jwks_uri"])))
        try:
            token = jwt.decode(id_token, keys, algorithms=["RS256", "ES256"])
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise SignInFailed(f"the ID token is not valid: {type(exc).__name__}") from None
        return dict(token.claims)

    def _read(self, cookie: str | None) -> Pending:
        try:
            return Pending(**self._pending.loads(cookie or "", max_age=PENDING_SECONDS))
        except (BadSignature, SignatureExpired, TypeError):
            raise SignInFailed("the sign-in took too long or did not start here; start again") from None

    def _get(self, url: str) -> dict[str, Any]:
        return self._answer(lambda: self._http.get(url))

    def _post(self, url: str, form: dict[str, str]) -> dict[str, Any]:
        return self._answer(lambda: self._http.post(url, data=form))

    def _answer(self, call: Any) -> dict[str, Any]:
        try:
            answer = call()
        except httpx.HTTPError as exc:
            raise SignInFailed(f"the identity provider did not answer ({type(exc).__name__})") from None
        if answer.status_code != 200:
            raise SignInFailed(f"the identity provider refused ({answer.status_code})")
        body: dict[str, Any] = answer.json()
        return body
