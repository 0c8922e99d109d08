"""Secrets read from files only their owner may read: database and Kafka passwords, KEKs.

A file group or others can read is refused, as libpq refuses such a .pgpass: the secret may already
be known, and a deployment that made it so should not start on it (docs/security.md §8)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_private_text(path: str, what: str = "the secret file") -> str:
    """The whole text of an owner-only file; ValueError naming `what` and the path otherwise."""
    file = Path(path)
    try:
        mode = file.stat().st_mode
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read {what} {path}: {exc.strerror}") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{what} {path} may be read by others (mode {stat.S_IMODE(mode):o}): chmod 600 it")
    return text


def read_secret_file(path: str, what: str = "the secret file") -> str:
    """The first line of an owner-only file, which must not be empty."""
    text = read_private_text(path, what)
    secret = text.splitlines()[0].strip() if text.strip() else ""
    if not secret:
        raise ValueError(f"{what} {path} is empty")
    return secret
