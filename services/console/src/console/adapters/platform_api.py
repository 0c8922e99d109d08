"""The four services' public HTTP APIs, called with the signed-in user's token (httpx)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx


class ApiUnavailable(Exception):
    """A service did not answer, or answered 5xx: the page says "try again"."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service


class ApiRefused(Exception):
    """A 4xx problem-details answer: `status`, `detail` and the field `errors` (422)."""

    def __init__(self, status: int, problem: Mapping[str, Any]) -> None:
        super().__init__(f"{status}: {problem.get('detail')}")
        self.status = status
        self.detail = str(problem.get("detail") or problem.get("title") or status)
        self.errors: list[dict[str, Any]] = list(problem.get("errors") or [])


PAGE_LIMIT = 1000  # the reporting API's largest page

# (service name, base URL) → a client; tests hand in a TestClient of a real service.
ClientFactory = Callable[[str, str], httpx.Client]


def default_client_factory(timeout: float) -> ClientFactory:
    return lambda _service, base_url: httpx.Client(base_url=base_url, timeout=timeout)


class PlatformApi:
    """One signed-in user's view of the platform: every call carries their bearer token."""

    def __init__(self, clients: Mapping[str, httpx.Client], token: str) -> None:
        self._clients = clients
        self._headers = {"Authorization": f"Bearer {token}"}

    # reporting
    def payable(self, as_of: str | None, known_at: str | None, **narrowing: str | int | None) -> dict[str, Any]:
        """One page of the answer at (as_of, known_at) and the whole answer's totals; `narrowing`: the
        API's filters, `sort`, `limit` and `offset`."""
        params = _present(as_of=as_of, known_at=known_at, **narrowing)
        return self._json("reporting", "GET", "/outcomes/payable", params=params)

    def payable_lines(
        self, as_of: str | None, known_at: str | None, **narrowing: str | int | None
    ) -> Iterator[dict[str, Any]]:
        """Every line of the answer, following the API's `next` page links (PAGE_LIMIT lines a call)."""
        answer = self.payable(as_of, known_at, **narrowing, limit=PAGE_LIMIT)
        while True:
            yield from answer["lines"]
            following = answer["page"]["next"]
            if following is None:
                return
            answer = self._json("reporting", "GET", following)

    def evidence(self, outcome_id: str, as_of: str | None, known_at: str | None) -> dict[str, Any]:
        params = _present(as_of=as_of, known_at=known_at)
        return self._json("reporting", "GET", f"/outcomes/{outcome_id}/evidence", params=params)

    def star_change(self, as_of: str | None, known_at: str | None) -> dict[str, Any]:
        """The distribution of Well-being Star change per episode (a provider manager's: their own)."""
        params = _present(as_of=as_of, known_at=known_at)
        return self._json("reporting", "GET", "/metrics/star-change", params=params)

    def claim(self, period: str) -> dict[str, Any]:
        return self._json("reporting", "GET", f"/claims/{period}")

    def claims(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("reporting", "GET", "/claims")["items"]
        return found

    def claim_preview(self, period: str) -> dict[str, Any]:
        """Exactly the document closing `period` now would store (nothing is stored)."""
        return self._json("reporting", "GET", f"/claims/{period}/preview")

    def close_claim(self, period: str, idempotency_key: str) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key}
        return self._json("reporting", "POST", "/claims", json={"period": period}, headers=headers)

    def upload(self, kind: str, csv_bytes: bytes, idempotency_key: str) -> dict[str, Any]:
        headers = {"Content-Type": "text/csv", "Idempotency-Key": idempotency_key}
        return self._json("reporting", "POST", f"/commissioner/{kind}", content=csv_bytes, headers=headers)

    def uploads(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("reporting", "GET", "/commissioner/uploads")["items"]
        return found

    # referral: reference data, for names
    def providers(self) -> dict[str, str]:
        return {
            str(p["provider_id"]): str(p.get("name") or p["provider_id"])
            for p in self._json("referral", "GET", "/providers")
        }

    def link_workers(self) -> dict[str, str]:
        found = self._json("referral", "GET", "/link-workers")
        return {str(w["link_worker_id"]): str(w.get("display_name") or w["link_worker_id"]) for w in found}

    def link_workers_listed(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("referral", "GET", "/link-workers")
        return found

    def practices(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("referral", "GET", "/practices")
        return found

    def _json(
        self, service: str, method: str, path: str, *, headers: Mapping[str, str] | None = None, **kw: Any
    ) -> Any:
        client = self._clients[service]
        try:
            answer = client.request(method, path, headers={**self._headers, **(headers or {})}, **kw)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(service, type(exc).__name__) from None
        if answer.status_code >= 500:
            raise ApiUnavailable(service, f"answered {answer.status_code}")
        if answer.status_code >= 400:
            raise ApiRefused(answer.status_code, _problem(answer))
        return answer.json()


def _problem(answer: httpx.Response) -> Mapping[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {"detail": answer.reason_phrase}
    return body if isinstance(body, dict) else {"detail": str(body)}


def _present(**params: str | int | None) -> dict[str, str | int]:
    return {k: v for k, v in params.items() if v or v == 0}
