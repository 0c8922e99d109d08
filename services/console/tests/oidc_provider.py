"""A small OpenID Connect provider for the console's sign-in tests: discovery, an authorize endpoint
that signs in the person the test chose (no login form), a token endpoint that checks the client,
the redirect URI and the PKCE verifier, and its RS256 keys. Run as a real HTTP server in a thread."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI, Form
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID, CLIENT_SECRET = "linkwell-console", "a-client-secret-for-the-test"


class TestIdentityProvider:
    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
        self.person: dict[str, Any] = {}  # the claims of whoever "signs in" next
        self.tamper: str | None = None  # "nonce", "audience", "signature": send a bad ID token
        self._codes: dict[str, dict[str, Any]] = {}
        self.app = self._app()
        self._server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> TestIdentityProvider:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("the test identity provider did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, Any]:
            return {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return {"keys": [self.key.as_dict(private=False)]}

        @app.get("/authorize")
        def authorize(
            client_id: str, redirect_uri: str, state: str, nonce: str, code_challenge: str, code_challenge_method: str
        ) -> RedirectResponse:
            assert client_id == CLIENT_ID and code_challenge_method == "S256"
            code = secrets.token_urlsafe(16)
            self._codes[code] = {"nonce": nonce, "challenge": code_challenge, "redirect_uri": redirect_uri}
            return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

        @app.post("/token")
        def token(
            grant_type: str = Form(),
            code: str = Form(),
            redirect_uri: str = Form(),
            client_id: str = Form(),
            client_secret: str = Form(),
            code_verifier: str = Form(),
        ) -> JSONResponse:
            issued = self._codes.pop(code, None)
            challenge = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
            if (
                issued is None
                or grant_type != "authorization_code"
                or (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET)
                or redirect_uri != issued["redirect_uri"]
                or challenge != issued["challenge"]
            ):
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            return JSONResponse(
                {"access_token": "unused", "token_type": "Bearer", "id_token": self._id_token(issued["nonce"])}
            )

        return app

    def _id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": "someone-else" if self.tamper == "audience" else CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": "another-nonce" if self.tamper == "nonce" else nonce,
            **self.person,
        }
        key = RSAKey.generate_key(2048, parameters={"kid": "test-key"}) if self.tamper == "signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, key)
