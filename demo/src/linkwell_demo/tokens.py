"""Development tokens for the demo, signed with the platform's JWT secret (settings, environment)."""

from __future__ import annotations

import threading
from datetime import timedelta

from linkwell_runtime.auth import Principal, Role, mint_for
from linkwell_runtime.settings import PlatformSettings


class TokenMinter:
    """Mints and caches dev tokens per (role, scope)."""

    def __init__(self, settings: PlatformSettings | None = None, ttl: timedelta = timedelta(hours=8)):
        self.settings = settings or PlatformSettings()
        self.ttl = ttl
        self._cache: dict[tuple, str] = {}
        self._lock = threading.Lock()

    def token(
        self,
        role: str,
        *,
        sub: str | None = None,
        practice: str | None = None,
        provider_id: str | None = None,
        link_worker_id: str | None = None,
    ) -> str:
        cache_key = (role, sub, practice, provider_id, link_worker_id)
        with self._lock:
            if cache_key not in self._cache:
                principal = Principal(
                    sub=sub or f"demo-{role}",
                    role=Role(role),
                    practice=practice,
                    provider_id=provider_id,
                    link_worker_id=link_worker_id,
                )
                self._cache[cache_key] = mint_for(principal, self.settings, ttl=self.ttl)  # for every API
            return self._cache[cache_key]

    def referrer(self, practice: str) -> str:
        return self.token("referrer", sub=f"demo-referrer-{practice}", practice=practice)

    def service(self) -> str:
        """The platform's own machine caller: reads every referral without identity or clinical content."""
        return self.token("service", sub="demo-service")

    def link_worker(self, provider_id: str, link_worker_id: str) -> str:
        return self.token(
            "link_worker",
            sub=f"demo-link-worker-{link_worker_id}",
            provider_id=str(provider_id),
            link_worker_id=str(link_worker_id),
        )
