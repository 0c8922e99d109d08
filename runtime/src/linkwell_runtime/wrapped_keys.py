"""A table of data keys stored only wrapped by the key-encryption key (`key_wrapping`): referral's
patient keys, engagement's case-text keys. What `linkwell keys status|rotate SERVICE` needs of it,
written once: how many live keys per KEK, how many are not under the current one, and re-wrapping
them all under it, a batch per transaction.

The table has `<id column>` (a UUID), `key_id`, `kek_id`, `wrapped_key` and `shredded_at` (a shredded
key is gone: nothing to re-wrap); `clear_column` names a column of keys kept in clear before
wrapping, if the table had one (referral's `data_key`): such keys are wrapped and the column emptied.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linkwell_runtime.key_wrapping import KeyEncryptionKeys, KeyWrappingError


@dataclass(frozen=True)
class Rewrapped:
    rewrapped: int  # keys now under the current KEK that were not (clear, or another KEK)
    unreadable: int  # keys under a KEK that is not configured: left as they are
    current: str

    def summary(self) -> dict[str, Any]:
        return {"rewrapped": self.rewrapped, "unreadable": self.unreadable, "current_kek": self.current}


@dataclass(frozen=True)
class WrappedKeyTable:
    table: str
    id_column: str
    clear_column: str | None = None

    @property
    def _not_current(self) -> str:
        clear = f" OR {self.clear_column} IS NOT NULL" if self.clear_column else ""
        return f"shredded_at IS NULL AND (kek_id IS DISTINCT FROM %s{clear})"

    def to_rewrap(self, cur: Any, keks: KeyEncryptionKeys) -> int:
        """How many live keys are not yet wrapped under the current KEK."""
        cur.execute(f"SELECT count(*) FROM {self.table} WHERE {self._not_current}", (keks.current,))
        row = cur.fetchone()
        return int(row[0]) if row else 0

    def kek_counts(self, cur: Any) -> dict[str, int]:
        """Live keys per KEK id (`clear` for keys not wrapped yet), and `shredded`."""
        cur.execute(
            "SELECT CASE WHEN shredded_at IS NOT NULL THEN 'shredded' WHEN wrapped_key IS NULL THEN 'clear'"
            f" ELSE kek_id END, count(*) FROM {self.table} GROUP BY 1 ORDER BY 1"
        )
        return {str(name): int(n) for name, n in cur.fetchall()}

    def rewrap_batch(
        self, cur: Any, keks: KeyEncryptionKeys, after: uuid.UUID | None, limit: int = 500
    ) -> tuple[Rewrapped, uuid.UUID | None]:
        """Wrap under the current KEK up to `limit` live keys (id order, after `after`) that are clear
        or under another KEK, each row locked (an erasure waits, or is waited for). Returns the counts
        and where the next batch starts (None: done)."""
        clear = self.clear_column or "NULL::bytea"
        cur.execute(
            f"SELECT {self.id_column}, key_id, {clear}, kek_id, wrapped_key FROM {self.table}"
            f" WHERE {self._not_current} AND (%s::uuid IS NULL OR {self.id_column} > %s::uuid)"
            f" ORDER BY {self.id_column} LIMIT %s FOR UPDATE",
            (keks.current, after, after, limit),
        )
        rows = cur.fetchall()
        done = unreadable = 0
        for row_id, key_id, clear_key, kek_id, wrapped in rows:
            try:
                key = bytes(clear_key) if clear_key is not None else keks.unwrap(kek_id, bytes(wrapped), key_id)
            except KeyWrappingError:
                unreadable += 1
                continue
            new_kek, rewrapped = keks.wrap(key, key_id)
            emptied = f"{self.clear_column} = NULL, " if self.clear_column else ""
            cur.execute(
                f"UPDATE {self.table} SET {emptied}kek_id = %s, wrapped_key = %s WHERE {self.id_column} = %s",
                (new_kek, rewrapped, row_id),
            )
            done += 1
        last = rows[-1][0] if len(rows) == limit else None
        return Rewrapped(done, unreadable, keks.current), last

    def rewrap(
        self, transaction: Callable[[], Any], keks: KeyEncryptionKeys, progress: Callable[[int], None] | None = None
    ) -> Rewrapped:
        """Every live key under the current KEK, a batch per transaction (`transaction()`: a context
        manager yielding a cursor that commits on exit), so a long rotation holds no lock for long."""
        total, unreadable, after = 0, 0, None
        while True:
            with transaction() as cur:
                batch, after = self.rewrap_batch(cur, keks, after)
            total, unreadable = total + batch.rewrapped, unreadable + batch.unreadable
            if progress is not None:
                progress(batch.rewrapped + batch.unreadable)
            if after is None:
                return Rewrapped(total, unreadable, keks.current)
