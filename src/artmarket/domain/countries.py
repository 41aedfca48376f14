"""Countries: the ISO 3166-1 alpha-2 codes, the one rule for every country a user types.

KYC, the artist profile, shipping zones and delivery addresses all read a country through
`parse_country`, so "XX" or "QQ" (user-assigned codes, not countries) is refused everywhere
with an error on the `country` field. The codes are a frozen copy of the maintained ISO list
(pycountry, which the domain may not import); `tests/unit/test_countries.py` fails when the
pinned pycountry and this copy disagree, so a pycountry upgrade that adds or retires a
country is noticed and copied here.
"""

from __future__ import annotations

from typing import Final

from artmarket.domain.errors import InvalidValue

#: ISO 3166-1 alpha-2: every officially assigned code (249), by first letter.
_ASSIGNED_CODES: Final = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ",
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ",
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ",
    "DE DJ DK DM DO DZ",
    "EC EE EG EH ER ES ET",
    "FI FJ FK FM FO FR",
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY",
    "HK HM HN HR HT HU",
    "ID IE IL IM IN IO IQ IR IS IT",
    "JE JM JO JP",
    "KE KG KH KI KM KN KP KR KW KY KZ",
    "LA LB LC LI LK LR LS LT LU LV LY",
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ",
    "NA NC NE NF NG NI NL NO NP NR NU NZ",
    "OM",
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY",
    "QA",
    "RE RO RS RU RW",
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ",
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ",
    "UA UG UM US UY UZ",
    "VA VC VE VG VI VN VU",
    "WF WS",
    "YE YT",
    "ZA ZM ZW",
)
COUNTRIES: Final = frozenset(code for row in _ASSIGNED_CODES for code in row.split())


class InvalidCountryCode(InvalidValue):
    default_message = "A country is an ISO 3166-1 alpha-2 code such as NG."
    field = "country"


def parse_country(value: object) -> str:
    """An assigned ISO 3166-1 alpha-2 code, upper-cased."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in COUNTRIES:
        raise InvalidCountryCode(
            "{value!r} is not an ISO 3166-1 alpha-2 country code such as NG.", value=value
        )
    return code
