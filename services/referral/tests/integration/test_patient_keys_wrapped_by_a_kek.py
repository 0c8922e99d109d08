"""Patient data keys are stored only wrapped by a key-encryption key the database never holds: a dump
alone decrypts nothing, `linkwell keys rotate` re-wraps every key and everything still decrypts,
erasure leaves nothing to unwrap, and keys stored in clear before wrapping are wrapped at start-up."""

from __future__ import annotations

import re
import subprocess

import pytest
from fastapi.testclient import TestClient
from referral_testkit import VALID_NHS, platform_patient_id, referral_body

from contracts.pii import DecryptionError, EncryptedField, decrypt_field, encrypt_field, new_data_key
from linkwell_runtime import cli, migrations
from linkwell_runtime.key_wrapping import KeyEncryptionKeys, new_kek_entry
from linkwell_runtime.testing import cursor
from referral.bootstrap import SCHEMA, prepare_database
from referral.config import Settings
from referral.entrypoints.api import create_app

OLD_KEK, NEW_KEK = new_kek_entry("2025-01"), new_kek_entry("2026-06")


def sealed_nhs_number(database_url: str, referral_id: str) -> EncryptedField:
    with cursor(database_url) as cur:
        cur.execute("SELECT sealed->'nhs_number' FROM referrals WHERE referral_id = %s", (referral_id,))
        return EncryptedField.model_validate(cur.fetchone()[0])


def opens_with(field: EncryptedField, key: bytes) -> bool:
    try:
        return decrypt_field(field, key, "nhs_number") is not None
    except (DecryptionError, ValueError):
        return False


def bytea_values_in_dump(database_url: str) -> list[bytes]:
    """Every bytea value of a plain `pg_dump --data-only` of the whole database."""
    dump = subprocess.run(
        ["pg_dump", "--data-only", "--dbname", database_url], check=True, capture_output=True, text=True
    ).stdout
    return [bytes.fromhex(h) for h in re.findall(r"\\\\x([0-9a-f]+)", dump)]


def test_a_dump_of_the_database_without_the_kek_decrypts_nothing(client, token, settings):
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[0]), headers=token()).json()
    field = sealed_nhs_number(settings.database_url, created["referral_id"])

    values = bytea_values_in_dump(settings.database_url)
    assert values, "the dump holds the wrapped key"
    candidates = {v[i : i + 32] for v in values for i in range(len(v) - 31)}  # every 32-byte window
    assert not any(opens_with(field, key) for key in candidates)
    with cursor(settings.database_url) as cur:
        cur.execute("SELECT data_key, kek_id, wrapped_key, key_id FROM patient_keys")
        ((clear, kek_id, wrapped, key_id),) = cur.fetchall()
    assert clear is None and kek_id == settings.key_encryption_keys.current
    assert opens_with(
        field, settings.key_encryption_keys.unwrap(kek_id, bytes(wrapped), key_id)
    )  # with the KEK it does


def test_a_wrapped_key_moved_to_another_patients_row_does_not_unwrap(settings):
    keks = settings.key_encryption_keys
    kek_id, wrapped = keks.wrap(new_data_key(), "pk-one")
    with pytest.raises(ValueError, match="does not unwrap"):
        keks.unwrap(kek_id, wrapped, "pk-another")


def test_rotation_rewraps_every_key_and_everything_still_decrypts(database_url, token, monkeypatch, capsys):
    old = Settings(database_url=database_url, environment="test", patient_kek=OLD_KEK)
    with TestClient(create_app(old)) as client:
        created = [
            client.post("/referrals", json=referral_body(nhs_number=nhs), headers=token()).json()
            for nhs in VALID_NHS[:3]
        ]
    monkeypatch.setenv("REFERRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PATIENT_KEK", f"{NEW_KEK},{OLD_KEK}")  # the new KEK first, the old one still accepted

    assert cli.main(["keys", "status", "referral"]) == cli.ATTENTION  # 3 keys under the old KEK
    assert cli.main(["keys", "rotate", "referral"]) == cli.OK
    out = capsys.readouterr()
    assert '"rewrapped": 3' in out.out and "3 key(s) to wrap under KEK 2026-06" in out.err
    assert cli.main(["keys", "status", "referral"]) == cli.OK
    with cursor(database_url) as cur:
        cur.execute("SELECT DISTINCT kek_id FROM patient_keys")
        assert cur.fetchall() == [("2026-06",)]
    assert cli.main(["keys", "rotate", "referral"]) == cli.OK  # again: nothing to do
    assert '"rewrapped": 0' in capsys.readouterr().out

    new_only = Settings(database_url=database_url, environment="test", patient_kek=NEW_KEK)
    with TestClient(create_app(new_only)) as client:
        for referral, nhs in zip(created, VALID_NHS, strict=False):
            shown = client.get(f"/referrals/{referral['referral_id']}", headers=token()).json()
            assert shown["patient"]["nhs_number"].replace(" ", "") == nhs


def test_rotation_reports_keys_under_a_kek_it_was_not_given(database_url, token, monkeypatch, capsys):
    with TestClient(create_app(Settings(database_url=database_url, environment="test", patient_kek=OLD_KEK))) as c:
        c.post("/referrals", json=referral_body(), headers=token())
    monkeypatch.setenv("REFERRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("PATIENT_KEK", NEW_KEK)  # the old KEK forgotten
    assert cli.main(["keys", "rotate", "referral"]) == cli.ATTENTION
    assert "1 key(s) are wrapped under a KEK that is not configured" in capsys.readouterr().err


def test_erasure_leaves_nothing_to_unwrap(client, token, settings, monkeypatch):
    created = client.post("/referrals", json=referral_body(nhs_number=VALID_NHS[1]), headers=token()).json()
    patient_id = platform_patient_id(client, token, created["referral_id"])
    client.post(f"/referrals/{created['referral_id']}/decline", json={"reason": "other"}, headers=token())
    assert client.post(f"/patients/{patient_id}/erasure", headers=token("operator")).status_code == 200
    with cursor(settings.database_url) as cur:
        cur.execute("SELECT data_key, kek_id, wrapped_key FROM patient_keys WHERE patient_id = %s", (patient_id,))
        assert cur.fetchone() == (None, None, None)
    field = sealed_nhs_number(settings.database_url, created["referral_id"])
    everything = subprocess.run(
        ["pg_dump", "--data-only", "--dbname", settings.database_url], check=True, capture_output=True, text=True
    ).stdout
    assert "Joan" not in everything and "Robson" not in everything and VALID_NHS[1] not in everything
    assert not any(
        opens_with(field, k[i : i + 32])
        for k in bytea_values_in_dump(settings.database_url)
        for i in range(len(k) - 31)
    )
    monkeypatch.setenv("REFERRAL_DATABASE_URL", settings.database_url)
    assert cli.main(["keys", "rotate", "referral"]) == cli.OK  # a shredded key is not brought back


def test_keys_stored_in_clear_before_wrapping_are_wrapped_at_start_up(database_url):
    before = next(
        r.id
        for r in reversed(migrations.status(database_url, migrations.sources(SCHEMA)))
        if r.id < "referral-0004-wrapped-patient-keys"
    )
    migrations.migrate(database_url, migrations.sources(SCHEMA), target=before)
    data_key = new_data_key()
    field = encrypt_field("9434765919", key_id="pk-old", key=data_key, purpose="nhs_number")
    with cursor(database_url) as cur:
        cur.execute(
            "INSERT INTO patient_keys (patient_id, key_id, data_key, nhs_number_pseudonym)"
            " VALUES (gen_random_uuid(), 'pk-old', %s, %s)",  # a pseudonym is 64 hex digits
            (data_key, "0123456789abcdef" * 4),
        )
    settings = Settings(database_url=database_url, environment="test", patient_kek=NEW_KEK)
    prepare_database(settings, seed=False)

    with cursor(database_url) as cur:
        cur.execute("SELECT data_key, kek_id, wrapped_key FROM patient_keys")
        ((clear, kek_id, wrapped),) = cur.fetchall()
    assert clear is None and kek_id == "2026-06"
    unwrapped = KeyEncryptionKeys.parse(NEW_KEK).unwrap(kek_id, bytes(wrapped), "pk-old")
    assert decrypt_field(field, unwrapped, "nhs_number") == "9434765919"
