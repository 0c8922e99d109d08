"""Identifiable patient data on the wire: encrypted per patient, so one shredded key erases them.

Name, NHS number, date of birth, address, phone and email travel only as `EncryptedField`s under
the patient's own 256-bit data key (docs/architecture.md §2). The associated data binds the key id and the
field's purpose, so a ciphertext lifted from one field or patient cannot be replayed as another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Final, Literal, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field

from contracts.nhs_number import written_digits

ALGORITHM: Final = "AES-256-GCM"  # Final: its type is the literal, as `EncryptedField.alg` needs
KEY_BYTES = 32
NONCE_BYTES = 12
_AAD_LABEL = "linkwell.pii.v1"  # versions the associated-data layout itself
_MIN_SECRET_BYTES = 16

# The purposes the platform encrypts today; any non-empty purpose string works.
PII_PURPOSES = frozenset(
    {"given_name", "family_name", "nhs_number", "date_of_birth", "address", "postcode", "phone", "email"}
)

_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
_NONCE_BASE64 = r"^[A-Za-z0-9+/]{16}$"  # 12 bytes encode to exactly 16 characters, no padding


class DecryptionError(ValueError):
    """The field cannot be opened: wrong key, wrong purpose, or the bytes were changed."""


class KeyShreddedError(DecryptionError):
    """The patient's data key has been destroyed: their identifiable data is gone for good."""


class EncryptedField(BaseModel):
    """One identifiable value, sealed with its patient's data key. Safe to publish and to log."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alg: Literal["AES-256-GCM"] = ALGORITHM
    key_id: str = Field(min_length=1, max_length=200, description="id of the patient's data key")
    nonce: str = Field(pattern=_NONCE_BASE64, description="base64 of 12 random bytes")
    ciphertext: str = Field(
        min_length=24,  # the 16-byte tag alone encodes to 24 characters
        pattern=_BASE64,
        description="base64 of the ciphertext followed by the 16-byte GCM tag",
    )

    def __repr__(self) -> str:  # ciphertext is noise in logs; the key id is what helps
        return f"EncryptedField(key_id={self.key_id!r})"

    __str__ = __repr__


# Use as a payload field type: `nhs_number: EncryptedStr`.
EncryptedStr = EncryptedField


class KeyRing(Protocol):
    """Where patient data keys live (the referral service owns the real one)."""

    def get(self, key_id: str) -> bytes | None:
        """The key, or None once it has been shredded."""
        ...


def new_data_key() -> bytes:
    """A fresh random 256-bit data key for one patient."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def encrypt_field(plaintext: str, *, key_id: str, key: bytes, purpose: str) -> EncryptedField:
    nonce = os.urandom(NONCE_BYTES)  # random per encryption: never reuse a nonce under one key
    sealed = _cipher(key).encrypt(nonce, plaintext.encode("utf-8"), _associated_data(key_id, purpose))
    return EncryptedField(key_id=key_id, nonce=_b64(nonce), ciphertext=_b64(sealed))


def decrypt_field(field: EncryptedField, key: bytes, purpose: str) -> str:
    if len(key) != KEY_BYTES:
        raise DecryptionError(f"data key {field.key_id!r} must be {KEY_BYTES} bytes, got {len(key)}")
    try:
        opened = _cipher(key).decrypt(
            base64.b64decode(field.nonce), base64.b64decode(field.ciphertext), _associated_data(field.key_id, purpose)
        )
    except InvalidTag:
        raise DecryptionError(
            f"cannot decrypt {purpose!r} under key {field.key_id!r}: wrong key, wrong purpose or tampered"
        ) from None
    return opened.decode("utf-8")


def decrypt_with(field: EncryptedField, keys: KeyRing, purpose: str) -> str:
    """Decrypt by looking the key up; a shredded key raises KeyShreddedError."""
    key = keys.get(field.key_id)
    if key is None:
        raise KeyShreddedError(f"data key {field.key_id!r} has been shredded")
    return decrypt_field(field, key, purpose)


def pseudonym(value: str, secret: bytes, purpose: str) -> str:
    """Keyed HMAC-SHA256 (hex) of a value: matches equal values without keeping them in clear.

    Callers normalise first (see `nhs_number_pseudonym`); the purpose keeps pseudonyms of one kind
    of value from matching another.
    """
    if len(secret) < _MIN_SECRET_BYTES:
        raise ValueError(f"pseudonym secret must be at least {_MIN_SECRET_BYTES} bytes")
    message = json.dumps([purpose, value], ensure_ascii=False).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def nhs_number_pseudonym(nhs_number: str, secret: bytes) -> str:
    """Pseudonym of an NHS number however it was written ("943 476 5919" == "9434765919")."""
    return pseudonym(written_digits(nhs_number, dashes=True), secret, "nhs_number")


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_BYTES:  # AESGCM would accept 128/192-bit keys; we promise AES-256
        raise ValueError(f"data key must be {KEY_BYTES} bytes, got {len(key)}")
    return AESGCM(key)


def _associated_data(key_id: str, purpose: str) -> bytes:
    if not purpose:
        raise ValueError("purpose must name the field, e.g. 'nhs_number'")
    # JSON array: unambiguous even if a key id or purpose contains a separator character.
    return json.dumps([_AAD_LABEL, key_id, purpose], ensure_ascii=False).encode("utf-8")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
