"""Linkwell's event contracts: the one envelope, every integration event type, topic names."""

from contracts.envelope import Envelope, new_event_id
from contracts.errors import ContractError
from contracts.events import EventPayload, event_class, event_types, register_event
from contracts.pii import (
    DecryptionError,
    EncryptedField,
    EncryptedStr,
    KeyRing,
    KeyShreddedError,
    decrypt_field,
    encrypt_field,
    new_data_key,
    pseudonym,
)

# The codec (`contracts.codec`) is not imported here: it loads the catalog of every event module,
# and those modules import this package.
__all__ = [
    "ContractError",
    "DecryptionError",
    "EncryptedField",
    "EncryptedStr",
    "Envelope",
    "EventPayload",
    "KeyRing",
    "KeyShreddedError",
    "decrypt_field",
    "encrypt_field",
    "event_class",
    "event_types",
    "new_data_key",
    "new_event_id",
    "pseudonym",
    "register_event",
]
