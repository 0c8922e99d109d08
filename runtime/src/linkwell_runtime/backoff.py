"""Exponential back-off with full jitter, capped: retry soon after a blip, gently during an outage."""

from __future__ import annotations

import random


class Backoff:
    def __init__(self, base: float = 0.1, cap: float = 5.0) -> None:
        self._base, self._cap, self._attempt = base, cap, 0

    def next_delay(self) -> float:
        delay = min(self._cap, self._base * 2**self._attempt)
        self._attempt += 1
        return random.uniform(delay / 2, delay)

    def reset(self) -> None:
        self._attempt = 0
