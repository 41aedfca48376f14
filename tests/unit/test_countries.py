"""The one country rule: the ISO 3166-1 codes, kept equal to the maintained list (pycountry)."""

from __future__ import annotations

import pycountry
import pytest

from artmarket.domain.countries import COUNTRIES, InvalidCountryCode, parse_country


def test_the_domain_copy_of_the_codes_is_the_pinned_pycountry_list() -> None:
    # A pycountry upgrade that adds or retires a country fails here until the copy is updated.
    assert {country.alpha_2 for country in pycountry.countries} == COUNTRIES


def test_a_country_is_read_upper_cased_and_trimmed() -> None:
    assert parse_country(" ng ") == "NG"
    assert parse_country("ci") == "CI"


@pytest.mark.parametrize("wrong", ["XX", "QQ", "ZZ", "UK", "NGA", "", "N", None, 12])
def test_user_assigned_and_malformed_codes_are_refused_on_the_country_field(wrong: object) -> None:
    with pytest.raises(InvalidCountryCode) as error:
        parse_country(wrong)
    assert error.value.location == "country"
