"""Payment rulebooks as data (docs/domain.md §6): versioned, effective-dated, every number configurable.

A rulebook file lives in `rulebooks/<id>.json` (or anywhere: `parse_rulebook` takes a mapping).
A new version applies from its `effective_from` date with no code change. The version in force on
an outcome's *achieved date* prices it (`rulebook_for`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reporting.domain.errors import NoRulebookInForce, RulebookInvalid

FULL_SHARE_BASIS_POINTS = 10_000


class PayerShare(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    payer: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    basis_points: int = Field(ge=0, le=FULL_SHARE_BASIS_POINTS)  # 7000 = 70%


class Rulebook(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=60)
    version: int = Field(ge=1)
    effective_from: date
    review_min_days: int = Field(ge=0)
    min_gain_points: int = Field(ge=0)
    w_price_pence: int = Field(ge=0)
    w_max_per_episode: int = Field(ge=0)
    episode_limit_years: int = Field(ge=1)
    s_share_percent: int = Field(ge=0, le=100)
    s_first_measure_offset_months: int = Field(ge=0)
    s_measure_quarters: int = Field(ge=0)
    payer_shares: tuple[PayerShare, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Rulebook:
        total = sum(share.basis_points for share in self.payer_shares)
        if total != FULL_SHARE_BASIS_POINTS:
            raise ValueError(f"payer shares add up to {total} basis points, not {FULL_SHARE_BASIS_POINTS}")
        payers = [share.payer for share in self.payer_shares]
        if len(set(payers)) != len(payers):
            raise ValueError("a payer is listed twice")
        if self.s_first_measure_offset_months % 3:
            raise ValueError("s_first_measure_offset_months must be whole quarters (a multiple of 3)")
        return self

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def shares(self) -> tuple[tuple[str, int], ...]:
        return tuple((share.payer, share.basis_points) for share in self.payer_shares)


def parse_rulebook(data: Mapping[str, Any]) -> Rulebook:
    try:
        return Rulebook.model_validate(data)
    except ValidationError as exc:
        raise RulebookInvalid(str(exc)) from exc


def load_packaged_rulebooks() -> tuple[Rulebook, ...]:
    """Every rulebook file shipped in `reporting/domain/rulebooks/`, oldest first."""
    folder = resources.files("reporting.domain.rulebooks")
    books = [parse_rulebook(json.loads(f.read_text("utf-8"))) for f in folder.iterdir() if f.name.endswith(".json")]
    return validate_versions(books)


def validate_versions(books: Iterable[Rulebook]) -> tuple[Rulebook, ...]:
    """Sorted by effective date; two versions may not start on the same day."""
    ordered = tuple(sorted(books, key=lambda b: (b.effective_from, b.id, b.version)))
    starts = [b.effective_from for b in ordered]
    if len(set(starts)) != len(starts):
        raise RulebookInvalid("two rulebook versions take effect on the same date")
    return ordered


def programme_start(rulebooks: Iterable[Rulebook]) -> date | None:
    """The first day any rulebook is in force (the earliest `effective_from`); None without rulebooks.
    Business dates before it are covered by no rulebook: refused where they are entered."""
    return min((b.effective_from for b in rulebooks), default=None)


def covered(on: date, rulebooks: Iterable[Rulebook]) -> bool:
    """Whether some rulebook is in force on a date."""
    start = programme_start(rulebooks)
    return start is not None and on >= start


def rulebook_for(on: date, rulebooks: Iterable[Rulebook]) -> Rulebook:
    """The version in force on a date: the latest whose `effective_from` is on or before it."""
    in_force = [b for b in rulebooks if b.effective_from <= on]
    if not in_force:
        raise NoRulebookInForce(f"no rulebook is in force on {on.isoformat()}")
    return max(in_force, key=lambda b: b.effective_from)
