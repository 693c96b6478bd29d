"""Organisation numbers: Swedish shape and Luhn check digit."""

import pytest

from kassasync.pos.orgnr import InvalidOrganisationNumber, luhn_check_digit, normalise_orgnr


def test_the_demo_shops_number_is_accepted_with_or_without_dash_and_normalised() -> None:
    assert normalise_orgnr("556123-4567") == "556123-4567"
    assert normalise_orgnr(" 5561234567 ") == "556123-4567"


def test_the_check_digit_is_luhn_over_the_first_nine_digits() -> None:
    assert luhn_check_digit("556123456") == 7
    assert normalise_orgnr("202100-5489") == "202100-5489"  # Skatteverket


@pytest.mark.parametrize("text", ["556123-4568", "55612-34567", "556123-456", "ABC123-4567", ""])
def test_a_wrong_number_is_refused_with_a_swedish_message(text: str) -> None:
    with pytest.raises(InvalidOrganisationNumber) as caught:
        normalise_orgnr(text)
    assert "Organisationsnumret" in caught.value.user_message
