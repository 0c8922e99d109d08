import pytest

from contracts.nhs_number import check_digit, is_valid_nhs_number, normalise_nhs_number


@pytest.mark.parametrize("valid", ["9434765919", "4010232137", "1000000060"])
def test_known_good_nhs_numbers_are_valid(valid):
    assert is_valid_nhs_number(valid)
    assert normalise_nhs_number(valid) == valid


def test_spaces_in_an_nhs_number_are_allowed_and_removed():
    assert normalise_nhs_number(" 943 476 5919 ") == "9434765919"


def test_a_wrong_check_digit_makes_an_nhs_number_invalid():
    with pytest.raises(ValueError, match="check digit does not match"):
        normalise_nhs_number("9434765918")


def test_nine_digits_whose_check_digit_would_be_10_have_no_valid_nhs_number():
    assert check_digit("100000001") is None
    assert not any(is_valid_nhs_number(f"100000001{d}") for d in range(10))


def test_a_check_value_of_11_becomes_check_digit_0():
    assert check_digit("100000006") == 0


@pytest.mark.parametrize("wrong_length", ["", "943476591", "94347659190", "943 476 591"])
def test_an_nhs_number_without_exactly_ten_digits_is_invalid(wrong_length):
    with pytest.raises(ValueError):
        normalise_nhs_number(wrong_length)
    assert not is_valid_nhs_number(wrong_length)


@pytest.mark.parametrize("not_digits", ["943476591X", "943-476-5919", "９４３４７６５９１９", "+943476591"])
def test_an_nhs_number_with_anything_but_digits_and_spaces_is_invalid(not_digits):
    assert not is_valid_nhs_number(not_digits)
