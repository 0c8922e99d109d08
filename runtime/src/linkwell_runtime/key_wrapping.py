"""Key-encryption keys (KEKs): per-patient data keys are stored only wrapped, so the database alone
decrypts nothing (docs/security.md, issue 15 item 3).

A KEK is 32 random bytes with an id, given to the process from a file (`PATIENT_KEK_FILE`, one
`id:base64` a line) or the environment (`PATIENT_KEK`, `id:base64` entries separated by commas),
never from the database or the repository. The first entry is the current KEK: every key is wrapped
under it. Later entries are older KEKs, still accepted for unwrapping while `linkwell keys rotate`
re-wraps every key under the current one. A wrapped key is AES-256-GCM of the data key under the
KEK, its associated data naming the KEK id and the data key's id, so a wrapped key copied onto
another patient's row does not unwrap.

The development KEK below is in the repository: it is accepted only when ENVIRONMENT is
`development` or `test`, and used there when none is given.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import PrivateAttr, model_validator
from pydantic_settings import BaseSettings

from linkwell_runtime.secret_files import read_private_text
from linkwell_runtime.settings import is_development

KEK_BYTES = 32
_NONCE_BYTES = 12
_AAD_LABEL = "linkwell.patient-key.v1"
_KEK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

# id "development": in the repository, so accepted in development and test only.
DEVELOPMENT_KEK = "development:" + base64.b64encode(b"linkwell-development-kek-32bytes").decode("ascii")


class KeyWrappingError(ValueError):
    """A wrapped key cannot be unwrapped: its KEK is not configured, or the bytes were changed."""


@dataclass(frozen=True)
class KeyEncryptionKeys:
    """The KEKs a process holds: `current` wraps, every one unwraps what it wrapped."""

    current: str
    keys: Mapping[str, bytes] = field(repr=False)

    @classmethod
    def parse(cls, text: str, *, source: str = "PATIENT_KEK") -> KeyEncryptionKeys:
        """From `id:base64[,id:base64...]` (or one a line); the first is the current KEK. Errors name the
        entry's position, never its value."""
        entries = [e.strip() for e in re.split(r"[,\n]", text) if e.strip() and not e.strip().startswith("#")]
        if not entries:
            raise ValueError(f"{source} holds no key-encryption key")
        keys: dict[str, bytes] = {}
        for position, entry in enumerate(entries, start=1):
            kek_id, _, encoded = entry.partition(":")
            if not _KEK_ID.match(kek_id):
                raise ValueError(
                    f"{source}: entry {position} must be <id>:<base64 of 32 bytes> (id: letters, digits, . _ -)"
                )
            try:
                raw = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                raise ValueError(f"{source}: entry {position} ({kek_id}) is not base64") from None
            if len(raw) != KEK_BYTES:
                raise ValueError(f"{source}: entry {position} ({kek_id}) must be {KEK_BYTES} bytes, not {len(raw)}")
            if kek_id in keys:
                raise ValueError(f"{source}: key id {kek_id} is given twice")
            keys[kek_id] = raw
        return cls(current=next(iter(keys)), keys=keys)

    def wrap(self, data_key: bytes, key_id: str) -> tuple[str, bytes]:
        """(the current KEK's id, nonce + AES-256-GCM of the data key bound to `key_id`)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, data_key, _associated_data(self.current, key_id))
        return self.current, nonce + sealed

    def unwrap(self, kek_id: str, wrapped: bytes, key_id: str) -> bytes:
        kek = self.keys.get(kek_id)
        if kek is None:
            raise KeyWrappingError(f"patient key {key_id} is wrapped under KEK {kek_id!r}, which is not configured")
        try:
            return AESGCM(kek).decrypt(wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], _associated_data(kek_id, key_id))
        except InvalidTag:
            raise KeyWrappingError(f"patient key {key_id} does not unwrap under KEK {kek_id!r}") from None


def _associated_data(kek_id: str, key_id: str) -> bytes:
    return json.dumps([_AAD_LABEL, kek_id, key_id]).encode("utf-8")


def new_kek_entry(kek_id: str) -> str:
    """A fresh `id:base64` line for PATIENT_KEK_FILE (`linkwell keys new-kek ID`)."""
    if not _KEK_ID.match(kek_id):
        raise ValueError("a KEK id is letters, digits, . _ - (at most 64)")
    return f"{kek_id}:{base64.b64encode(os.urandom(KEK_BYTES)).decode('ascii')}"


class KeyEncryptionSettings(BaseSettings):
    """For the service that keeps patient data keys (referral): where its KEKs come from."""

    patient_kek_file: str = ""  # PATIENT_KEK_FILE: a file, one `id:base64` a line, current first
    patient_kek: str = ""  # PATIENT_KEK: `id:base64[,id:base64...]`, current first (the file wins)

    _keks: KeyEncryptionKeys | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _load_key_encryption_keys(self) -> KeyEncryptionSettings:
        environment = str(getattr(self, "environment", ""))
        if self.patient_kek_file:
            text = read_private_text(self.patient_kek_file, "PATIENT_KEK_FILE")
            source = f"PATIENT_KEK_FILE ({self.patient_kek_file})"
        elif self.patient_kek:
            text, source = self.patient_kek, "PATIENT_KEK"
        elif is_development(environment):
            text, source = DEVELOPMENT_KEK, "the development KEK"
        else:
            raise ValueError(
                "PATIENT_KEK_FILE (or PATIENT_KEK) must give the key-encryption key outside development and test"
            )
        keks = KeyEncryptionKeys.parse(text, source=source)
        development = KeyEncryptionKeys.parse(DEVELOPMENT_KEK)
        if not is_development(environment) and any(k == development.keys["development"] for k in keks.keys.values()):
            raise ValueError("the development KEK is refused outside development and test: give a real one")
        self._keks = keks
        return self

    @property
    def key_encryption_keys(self) -> KeyEncryptionKeys:
        assert self._keks is not None  # set by the validator
        return self._keks
