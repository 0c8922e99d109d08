from contracts.pii import decrypt_field, encrypt_field, new_data_key
from referral.domain import accept_intake, seal_patient_details


def test_every_identifiable_field_is_sealed_under_its_own_purpose(intake, known_practices, today):
    valid = accept_intake(intake(), known_practice_codes=known_practices, today=today)
    key = new_data_key()
    sealed = seal_patient_details(
        valid,
        lambda text, purpose: encrypt_field(text, key_id="patient-1", key=key, purpose=purpose),
    )
    opened = {
        purpose: decrypt_field(getattr(sealed, field), key, purpose)
        for field, purpose in [
            ("nhs_number", "nhs_number"),
            ("given_name", "given_name"),
            ("family_name", "family_name"),
            ("date_of_birth", "date_of_birth"),
            ("postcode", "postcode"),
            ("phone", "phone"),
            ("email", "email"),
            ("reason", "referral_reason"),
        ]
    }
    assert opened == {
        "nhs_number": "9434765919",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "date_of_birth": "1964-03-10",
        "postcode": "NE1 4LP",
        "phone": "01914960000",
        "email": "ada@example.org",
        "referral_reason": "Lonely since her husband died",
    }
    assert not hasattr(sealed, "nhs_number_pseudonym")  # it travels on its own topic, never in an event


def test_absent_optional_fields_stay_absent_when_sealed(intake, known_practices, today):
    valid = accept_intake(intake(email=None, reason=None), known_practice_codes=known_practices, today=today)
    key = new_data_key()
    sealed = seal_patient_details(valid, lambda t, p: encrypt_field(t, key_id="k", key=key, purpose=p))
    assert sealed.email is None and sealed.reason is None
