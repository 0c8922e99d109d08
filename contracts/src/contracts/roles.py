"""The platform's roles: who a caller is (the `role` claim of their token), named once for the
runtime's auth and every service's access rules (docs/domain.md §1)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    REFERRER = "referrer"
    LINK_WORKER = "link_worker"
    PROVIDER_MANAGER = "provider_manager"
    FINANCE = "finance"
    OPERATOR = "operator"
    SERVICE = "service"
    AUDITOR = "auditor"  # reads and exports the access audit (GET /audit), nothing else
