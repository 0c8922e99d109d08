"""The ledger as the finance pages show it: lines with names, for a moment or between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.adapters.platform_api import ApiRefused, ApiUnavailable, PlatformApi
from console.domain.changes import Changes, changes
from console.domain.payable import Line, line_from_api
from console.service_layer.inputs import Moment


@dataclass(frozen=True)
class Ledger:
    as_of: str
    known_at: str
    lines: list[Line]
    names_known: bool  # False when the referral service could not tell providers' names


def names(api: PlatformApi) -> tuple[dict[str, str], dict[str, str], bool]:
    """Providers' and link workers' names from the referral service; ids alone when it does not answer."""
    try:
        return api.providers(), api.link_workers(), True
    except (ApiUnavailable, ApiRefused):
        return {}, {}, False


def ledger_at(api: PlatformApi, moment: Moment) -> Ledger:
    answer = api.payable(moment.as_of, moment.known_at)
    providers, workers, known = names(api)
    return _ledger(answer, providers, workers, known)


def _ledger(answer: dict[str, Any], providers: dict[str, str], workers: dict[str, str], known: bool) -> Ledger:
    lines = [line_from_api(raw, providers, workers) for raw in answer["lines"]]
    return Ledger(answer["as_of"], answer["known_at"], lines, known)


def what_changed(api: PlatformApi, as_of: str | None, before: str, after: str) -> tuple[Ledger, Ledger, Changes]:
    providers, workers, known = names(api)
    first = _ledger(api.payable(as_of, before), providers, workers, known)
    second = _ledger(api.payable(as_of, after), providers, workers, known)
    return first, second, changes(first.lines, second.lines)
