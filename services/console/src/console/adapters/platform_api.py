"""The four services' public HTTP APIs, called with the signed-in user's token (httpx)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
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
IDENTITIES_ASKED = 100  # the referral API's most referral ids per `GET /referrals/identities`
PUBLIC_SERVICES = frozenset({"directory"})  # its reads are public: the user's token is not sent there

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

    # the access audit of a service that keeps one (referral, engagement): auditors only
    def audit(self, service: str, **filters: str | int | None) -> dict[str, Any]:
        """One page of the service's access audit (`page`, `page_size` and the filters `from`, `to`,
        `patient_id`, `subject`, `action`), oldest first, with `total`."""
        found: dict[str, Any] = self._json(service, "GET", "/audit", params=_present(**filters))
        return found

    def audit_csv(self, service: str, **filters: str | None) -> Iterator[bytes]:
        """Every matching row as the service's CSV, passed on as it arrives. The answer's status is
        checked before the first byte is given (a refusal raises here, not halfway through a file)."""
        client = self._clients[service]
        request = client.build_request("GET", "/audit.csv", params=_present(**filters), headers=self._headers)
        try:
            answer = client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(service, type(exc).__name__) from None
        if answer.status_code >= 400:
            answer.read()
            answer.close()
            _raise_for(service, answer)
        return _streamed(answer)

    # engagement: the signed-in link worker's caseload (the API narrows every read to it)
    def caseload(self) -> list[dict[str, Any]]:
        """Every case row of the caller's caseload (`GET /cases`, following its pages)."""
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self._json("engagement", "GET", "/cases", params={"page": page})
            rows += answer["items"]
            if page * int(answer["page_size"]) >= int(answer["total"]) or not answer["items"]:
                return rows
            page += 1

    def attention(self) -> dict[str, Any]:
        """The caller's open cases with their attempts, goals, open steps and linkages (codes, dates)."""
        found: dict[str, Any] = self._json("engagement", "GET", "/caseload/attention")
        return found

    def case(self, case_id: str) -> dict[str, Any]:
        """One case in full (its free texts are shown to its link worker, and the read audited)."""
        found: dict[str, Any] = self._json("engagement", "GET", f"/cases/{case_id}")
        return found

    def record(
        self, case_id: str, what: str, body: Mapping[str, Any], idempotency_key: str, method: str = "POST"
    ) -> dict[str, Any]:
        """A write to the case (`what`: `contacts`, `contact-attempts`, `stars`, `goals`,
        `goals/{id}/steps`, `linkages`, `discharge`, `PATCH goals/{id}`...), stored once per
        `Idempotency-Key`."""
        headers = {"Idempotency-Key": idempotency_key}
        found: dict[str, Any] = self._json(
            "engagement", method, f"/cases/{case_id}/{what}", json=dict(body), headers=headers
        )
        return found

    def discharge_preview(self, case_id: str, discharged_on: str, reason: str) -> dict[str, Any]:
        """Exactly the summary a discharge with this date and reason would send the practice now."""
        params = {"discharged_on": discharged_on, "reason": reason}
        found: dict[str, Any] = self._json(
            "engagement", "GET", f"/cases/{case_id}/discharge-summary/preview", params=params
        )
        return found

    # referral: the patient's identity, read (and audited by the referral service) for this request only
    def identities(self, referral_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The patients of many referrals (`GET /referrals/identities`, 100 ids a call): those the
        caller may see, each `{"referral_id", "patient"}`, every opening audited by the referral service
        as one read's is; an id out of scope is left out."""
        ids, found = list(dict.fromkeys(referral_ids)), []
        for start in range(0, len(ids), IDENTITIES_ASKED):
            asked = [("referral_id", i) for i in ids[start : start + IDENTITIES_ASKED]]
            found += self._json("referral", "GET", "/referrals/identities", params=asked)["items"]
        return found

    # directory: the public ORUK read API
    def directory_categories(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self._json("directory", "GET", "/taxonomy_terms", params={"per_page": 200})[
            "contents"
        ]
        return found

    def directory_services(self, **filters: str | int | None) -> dict[str, Any]:
        """One page of `GET /services` (ORUK's page envelope), `filters`: `search`, `taxonomy_term_id`..."""
        found: dict[str, Any] = self._json("directory", "GET", "/services", params=_present(**filters))
        return found

    def directory_nearby(self, **filters: str | int | float | None) -> dict[str, Any]:
        """One page of `GET /service_at_locations` (`postcode`, `proximity` in metres, the services'
        filters): nearest first, each with its `distance` in metres and its `service`."""
        found: dict[str, Any] = self._json("directory", "GET", "/service_at_locations", params=_present(**filters))
        return found

    # referral: a referrer's practice and a manager's organisation (the API narrows every read to the
    # caller's scope; a filter here only narrows it further)
    def refer(self, body: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        """A referral sent: 201 with its eligibility (every failed criterion), stored once per key."""
        headers = {"Idempotency-Key": idempotency_key}
        found: dict[str, Any] = self._json("referral", "POST", "/referrals", json=dict(body), headers=headers)
        return found

    def referrals(self, **filters: str | int | None) -> dict[str, Any]:
        """One page of `GET /referrals` (`status`, `practice`, `provider_id`, `page`, `page_size`): never
        identifiable."""
        found: dict[str, Any] = self._json("referral", "GET", "/referrals", params=_present(**filters))
        return found

    def referral(self, referral_id: str) -> dict[str, Any]:
        """One referral with its patient (a decrypting read the referral service audits) and its
        discharge summary once the episode ended."""
        found: dict[str, Any] = self._json("referral", "GET", f"/referrals/{referral_id}")
        return found

    def change_referral(
        self, referral_id: str, what: str, body: Mapping[str, Any], idempotency_key: str
    ) -> dict[str, Any]:
        """A referral put right by its referrer (`what`: `entries`, `withdrawal`), stored once per key."""
        headers = {"Idempotency-Key": idempotency_key}
        found: dict[str, Any] = self._json(
            "referral", "POST", f"/referrals/{referral_id}/{what}", json=dict(body), headers=headers
        )
        return found

    def provider_link_workers(self, provider_id: str) -> list[dict[str, Any]]:
        """The provider's link workers with capacity and active caseload (the places allocation counts)."""
        found: list[dict[str, Any]] = self._json(
            "referral", "GET", "/link-workers", params={"provider_id": provider_id}
        )
        return found

    def change_link_worker(
        self, link_worker_id: str, changes: Mapping[str, Any], idempotency_key: str
    ) -> dict[str, Any]:
        headers = {"Idempotency-Key": idempotency_key}
        found: dict[str, Any] = self._json(
            "referral", "PATCH", f"/link-workers/{link_worker_id}", json=dict(changes), headers=headers
        )
        return found

    # engagement and reporting: a provider manager's organisation
    def cases_of(self, link_worker_id: str) -> list[dict[str, Any]]:
        """Every case row held by one link worker (`GET /cases?link_worker_id=`, all pages)."""
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            params = {"link_worker_id": link_worker_id, "page": page}
            answer = self._json("engagement", "GET", "/cases", params=params)
            rows += answer["items"]
            if page * int(answer["page_size"]) >= int(answer["total"]) or not answer["items"]:
                return rows
            page += 1

    def open_safeguarding_concerns(self) -> list[dict[str, Any]]:
        """The caller's open concerns, highest risk first (codes and dates, never their words)."""
        rows: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self._json("engagement", "GET", "/safeguarding-concerns", params={"status": "open", "page": page})
            rows += answer["items"]
            if page * int(answer["page_size"]) >= int(answer["total"]) or not answer["items"]:
                return rows
            page += 1

    def time_to_first_contact(self) -> list[dict[str, Any]]:
        """Per provider and per link worker: days from allocation to the first contact (reporting)."""
        found: list[dict[str, Any]] = self._json("reporting", "GET", "/metrics/time-to-first-contact")["items"]
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
            mine = {} if service in PUBLIC_SERVICES else self._headers
            answer = client.request(method, path, headers={**mine, **(headers or {})}, **kw)
        except httpx.HTTPError as exc:
            raise ApiUnavailable(service, type(exc).__name__) from None
        _raise_for(service, answer)
        return answer.json()


def _raise_for(service: str, answer: httpx.Response) -> None:
    """A 5xx is the service being unavailable (the try-again page); a 4xx its refusal, with its problem."""
    if answer.status_code >= 500:
        raise ApiUnavailable(service, f"answered {answer.status_code}")
    if answer.status_code >= 400:
        raise ApiRefused(answer.status_code, _problem(answer))


def _streamed(answer: httpx.Response) -> Iterator[bytes]:
    try:
        yield from answer.iter_bytes()
    finally:
        answer.close()


def _problem(answer: httpx.Response) -> Mapping[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {"detail": answer.reason_phrase}
    return body if isinstance(body, dict) else {"detail": str(body)}


def _present(**params: str | int | float | None) -> dict[str, str | int | float]:
    return {k: v for k, v in params.items() if v or v == 0}
