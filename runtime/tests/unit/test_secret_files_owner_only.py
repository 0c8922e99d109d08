"""The key-encryption keys and the Kafka password come from files only their owner may read, as the
database passwords do (docs/security.md §8): a file group or others can read is refused at start-up,
naming the setting and never quoting the secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from linkwell_runtime.kafka_auth import KafkaCredentials
from linkwell_runtime.key_wrapping import KeyEncryptionSettings, new_kek_entry


def written(tmp_path, name: str, text: str, mode: int):
    path = tmp_path / name
    path.write_text(text)
    path.chmod(mode)
    return str(path)


def test_an_owner_only_kek_file_is_read(tmp_path):
    path = written(tmp_path, "keks", new_kek_entry("2026-12") + "\n", 0o600)
    assert KeyEncryptionSettings(patient_kek_file=path).key_encryption_keys.current == "2026-12"


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_a_kek_file_others_may_read_is_refused_without_quoting_it(tmp_path, mode):
    entry = new_kek_entry("2026-12")
    path = written(tmp_path, "keks", entry + "\n", mode)
    with pytest.raises(ValidationError, match=r"PATIENT_KEK_FILE .* may be read by others") as refused:
        KeyEncryptionSettings(patient_kek_file=path)
    assert entry.split(":")[1] not in str(refused.value)


def test_a_missing_kek_file_is_refused_naming_the_setting(tmp_path):
    with pytest.raises(ValidationError, match="cannot read PATIENT_KEK_FILE"):
        KeyEncryptionSettings(patient_kek_file=str(tmp_path / "none"))


def test_a_kafka_password_file_others_may_read_is_refused_at_its_use(tmp_path):
    private = written(tmp_path, "ok.password", "s3cret\n", 0o600)
    assert (
        KafkaCredentials(kafka_sasl_username="referral", kafka_sasl_password_file=private).sasl_password() == "s3cret"
    )
    shared = written(tmp_path, "shared.password", "s3cret\n", 0o644)
    credentials = KafkaCredentials(kafka_sasl_username="referral", kafka_sasl_password_file=shared)
    with pytest.raises(RuntimeError, match=r"KAFKA_SASL_PASSWORD_FILE .* may be read by others") as refused:
        credentials.sasl_password()
    assert "s3cret" not in str(refused.value)
