"""Settings of the console: environment only (every variable is listed in the README)."""

from __future__ import annotations

from pydantic import model_validator

from linkwell_runtime.settings import PlatformSettings

DEVELOPMENT_SESSION_SECRET = "linkwell-console-development-session-secret-change-me"


class Settings(PlatformSettings):
    database_url: str = "postgresql://linkwell_console@127.0.0.1:25432/linkwell_console"  # sessions
    http_port: int = 8000
    referral_url: str = "http://127.0.0.1:8001"
    engagement_url: str = "http://127.0.0.1:8002"
    directory_url: str = "http://127.0.0.1:8003"
    reporting_url: str = "http://127.0.0.1:8004"
    api_timeout_seconds: float = 30.0
    session_secret: str = DEVELOPMENT_SESSION_SECRET  # signs the session and CSRF cookies
    session_minutes: int = 480  # a session (and the token inside it) expires after this
    session_idle_minutes: int = 30  # ... and sooner after this long without a request
    max_upload_bytes: int = 50 * 1024 * 1024  # the reporting API's own limit
    page_size: int = 50  # payable lines per page
    # OpenID Connect (production sign-in): on when OIDC_ISSUER is set
    oidc_issuer: str = ""  # e.g. https://login.example.nhs.uk/realms/linkwell (its /.well-known/openid-configuration)
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_redirect_url: str = "http://127.0.0.1:8000/auth/callback"
    oidc_role_claim: str = "linkwell_role"  # a contracts.roles.Role value
    oidc_provider_claim: str = "linkwell_provider_id"  # provider managers and link workers

    @model_validator(mode="after")
    def _refuse_development_session_secret(self) -> Settings:
        if self.environment not in ("development", "test") and self.session_secret == DEVELOPMENT_SESSION_SECRET:
            raise ValueError("SESSION_SECRET must be set to a real secret outside development and test")
        if len(self.session_secret) < 32:
            raise ValueError("SESSION_SECRET must be at least 32 characters")
        return self

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    @property
    def development_sign_in(self) -> bool:
        """The sign-in page that lists demo users: development and test only."""
        return self.environment in ("development", "test")

    @property
    def secure_cookies(self) -> bool:
        return self.environment != "development" and self.environment != "test"
