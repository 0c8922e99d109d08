"""The console's composition root: settings, one HTTP client per service, the cookie signer and the
server-side sessions (the console's only table, in its own database)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from console.adapters.oidc import OidcClient
from console.adapters.platform_api import ClientFactory, PlatformApi, default_client_factory
from console.adapters.session_store import SessionStore
from console.adapters.sessions import Cookies
from console.config import Settings
from linkwell_runtime import db, migrations

SERVICES = ("referral", "engagement", "directory", "reporting")


@dataclass
class ConsoleServices:
    """What every request shares. The platform's APIs are the console's data; its own database holds
    only who is signed in (`console_sessions`)."""

    settings: Settings
    clients: dict[str, httpx.Client]
    pool: db.Pool
    oidc: OidcClient | None = None  # when OIDC_ISSUER is set
    clock: Callable[[], float] = time.time  # seconds since the epoch: when sessions were signed and expire
    cookies: Cookies = field(init=False)
    sessions: SessionStore = field(init=False)

    def __post_init__(self) -> None:
        self.cookies = Cookies(self.settings.session_secret, self.settings.session_minutes * 60, self.clock)
        self.sessions = SessionStore(
            self.pool,
            self.clock,
            max_minutes=self.settings.session_minutes,
            idle_minutes=self.settings.session_idle_minutes,
        )

    def api(self, token: str) -> PlatformApi:
        return PlatformApi(self.clients, token)

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        if self.oidc is not None:
            self.oidc.close()
        self.pool.close()


def bootstrap(
    settings: Settings, client_factory: ClientFactory | None = None, clock: Callable[[], float] | None = None
) -> ConsoleServices:
    """Real HTTP clients and the system clock by default; tests pass a factory that hands out
    TestClients of real services, and a clock they move."""
    # Only the console's own revisions: it keeps no events, so none of the runtime's tables.
    migrations.migrate(settings.database_url, ["console.adapters.sql"])
    make = client_factory or default_client_factory(settings.api_timeout_seconds)
    urls = {s: getattr(settings, f"{s}_url") for s in SERVICES}
    oidc = None
    if settings.oidc_enabled:
        oidc = OidcClient(
            make("oidc", settings.oidc_issuer),
            issuer=settings.oidc_issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            redirect_url=settings.oidc_redirect_url,
            secret=settings.session_secret,
        )
    clients = {service: make(service, url) for service, url in urls.items()}
    return ConsoleServices(settings, clients, db.Pool(settings.database_url), oidc, clock or time.time)
