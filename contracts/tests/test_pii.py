from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.pii import (
    DecryptionError,
    EncryptedField,
    KeyShreddedError,
    decrypt_field,
    decrypt_with,
    encrypt_field,
    new_data_key,
    nhs_number_pseudonym,
    pseudonym,
)


class DictKeyRing:
    """In-memory KeyRing; `shred` destroys a key as the referral service's key store would."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}

    def add(self, key_id: str) -> bytes:
        self._keys[key_id] = new_data_key()
        return self._keys[key_id]

    def shred(self, key_id: str) -> None:
        del self._keys[key_id]

    def get(self, key_id: str) -> bytes | None:
        return self._keys.get(key_id)


KEY = new_data_key()
SECRET = b"a pseudonym secret of 32 bytes!!"


def sealed(text: str = "943 476 5919", *, key: bytes = KEY, key_id: str = "patient-1") -> EncryptedField:
    return encrypt_field(text, key_id=key_id, key=key, purpose="nhs_number")


def test_a_field_decrypts_with_its_key_and_purpose() -> None:
    assert decrypt_field(sealed(), KEY, "nhs_number") == "943 476 5919"


def test_the_field_carries_no_plaintext_and_a_fresh_nonce_each_time() -> None:
    first, second = sealed(), sealed()
    assert "943" not in first.model_dump_json()
    assert first.nonce != second.nonce and first.ciphertext != second.ciphertext
    assert len(base64.b64decode(first.nonce)) == 12 and first.alg == "AES-256-GCM"


def test_data_keys_are_256_bits_and_random() -> None:
    assert len(new_data_key()) == 32 and new_data_key() != new_data_key()


def test_another_patients_key_cannot_decrypt() -> None:
    with pytest.raises(DecryptionError):
        decrypt_field(sealed(), new_data_key(), "nhs_number")


def test_ciphertext_from_one_field_cannot_be_decrypted_as_another() -> None:
    with pytest.raises(DecryptionError):
        decrypt_field(sealed(), KEY, "phone")


def test_ciphertext_moved_under_another_key_id_cannot_be_decrypted() -> None:
    relabelled = sealed().model_copy(update={"key_id": "patient-2"})
    with pytest.raises(DecryptionError):
        decrypt_field(relabelled, KEY, "nhs_number")


def test_tampered_ciphertext_is_detected() -> None:
    field = sealed()
    raw = bytearray(base64.b64decode(field.ciphertext))
    raw[0] ^= 0x01
    tampered = field.model_copy(update={"ciphertext": base64.b64encode(bytes(raw)).decode()})
    with pytest.raises(DecryptionError):
        decrypt_field(tampered, KEY, "nhs_number")


def test_a_key_of_the_wrong_length_is_a_decryption_error() -> None:
    with pytest.raises(DecryptionError):
        decrypt_field(sealed(), KEY[:16], "nhs_number")


def test_a_shredded_key_makes_the_field_unreadable_for_good() -> None:
    keyring = DictKeyRing()
    field = sealed(key=keyring.add("patient-9"), key_id="patient-9")
    assert decrypt_with(field, keyring, "nhs_number") == "943 476 5919"
    keyring.shred("patient-9")
    with pytest.raises(KeyShreddedError):
        decrypt_with(field, keyring, "nhs_number")


def test_the_field_model_refuses_a_nonce_that_is_not_12_bytes_of_base64() -> None:
    with pytest.raises(ValueError):
        EncryptedField(key_id="k", nonce="short", ciphertext=sealed().ciphertext)


def test_the_field_repr_does_not_dump_ciphertext_into_logs() -> None:
    assert repr(sealed()) == "EncryptedField(key_id='patient-1')"


def test_pseudonym_is_stable_for_the_same_value_secret_and_purpose() -> None:
    assert pseudonym("9434765919", SECRET, "nhs_number") == pseudonym("9434765919", SECRET, "nhs_number")
    assert len(pseudonym("9434765919", SECRET, "nhs_number")) == 64


def test_pseudonym_depends_on_the_secret_and_the_purpose() -> None:
    base = pseudonym("9434765919", SECRET, "nhs_number")
    assert base != pseudonym("9434765919", b"another secret, also 32 bytes!!!", "nhs_number")
    assert base != pseudonym("9434765919", SECRET, "phone")
    assert "9434765919" not in base


def test_nhs_number_pseudonym_ignores_how_the_number_was_spaced() -> None:
    assert nhs_number_pseudonym("943 476 5919", SECRET) == nhs_number_pseudonym("943-476-5919", SECRET)
    assert nhs_number_pseudonym("9434765919", SECRET) == pseudonym("9434765919", SECRET, "nhs_number")


def test_pseudonym_refuses_a_short_secret() -> None:
    with pytest.raises(ValueError):
        pseudonym("9434765919", b"short", "nhs_number")


@given(st.text())
def test_any_text_round_trips_through_encryption(text: str) -> None:
    field = encrypt_field(text, key_id="p", key=KEY, purpose="given_name")
    assert decrypt_field(EncryptedField.model_validate_json(field.model_dump_json()), KEY, "given_name") == text
