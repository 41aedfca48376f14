"""Prices (Babel, no ".00" on whole amounts), reference rates and "≈ $120", sizes in cm and inches."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from artmarket.application.i18n import speaking
from artmarket.application.local_formats import approximately, money_text
from artmarket.domain.exchange import InvalidRates, ReferenceRates
from artmarket.domain.languages import Language
from artmarket.domain.listing import Dimensions
from artmarket.domain.money import Money
from artmarket.domain.shipments import InvalidTrackingUrl
from artmarket.entrypoints.web.countries import territory
from artmarket.entrypoints.web.listing_text import centimetres, inches
from artmarket.entrypoints.web.rendering import environment
from artmarket.settings import SettingsError, load_settings

RATES = ReferenceRates.parse(["USD=1", "NGN=1550", "GHS=15.5", "KES=129", "ZAR=18.3"])
NNBSP, NBSP = "\u202f", "\xa0"
BY = " \N{MULTIPLICATION SIGN} "


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "shown"),
    [
        (2_500_000, "NGN", "en", "₦25,000"),
        (2_500_050, "NGN", "en", "₦25,000.50"),
        (125_050, "USD", "en", "$1,250.50"),
        (1_500_000, "USD", "en", "$15,000"),
        (30_000, "GHS", "en", "GH₵300"),
        (1_250_000, "KES", "en", "Ksh12,500"),
        (199_999, "ZAR", "en", "R1,999.99"),
        (5, "USD", "en", "$0.05"),
        (2_500, "XOF", "en", f"F{NNBSP}CFA2,500"),
        (2_500_000, "NGN", "fr", f"25{NNBSP}000{NBSP}₦"),
        (125_050, "USD", "fr", f"1{NNBSP}250,50{NBSP}$"),
    ],
)
def test_a_price_reads_as_the_locale_writes_it_without_cents_on_whole_amounts(
    amount: int, currency: str, locale: str, shown: str
) -> None:
    assert money_text(amount, currency, locale) == shown


def test_the_money_filter_is_the_one_formatting_of_every_page() -> None:
    env = environment(fx_rates=RATES)
    template = env.from_string("{{ price | money }} {{ price | approx }} {{ 150 | minor('USD') }}")

    assert template.render(price=Money.of(2_500_000, "NGN")) == "₦25,000 ≈ $16 $1.50"
    with speaking(Language.FRENCH):
        in_french = template.render(price=Money.of(2_500_000, "NGN"))
    assert in_french == f"25{NNBSP}000{NBSP}₦ ≈ 16{NBSP}$ 1,50{NBSP}$"


@pytest.mark.parametrize(
    ("price", "shown"),
    [
        (Money.of(18_600_000, "NGN"), "≈ $120"),
        (Money.of(50_000, "NGN"), "≈ $0.32"),
        (Money.of(155_000, "GHS"), "≈ $100"),
        (Money.of(12_000, "USD"), ""),  # the base currency needs no "≈"
        (Money.of(12_000, "EUR"), ""),  # no rate, nothing to say
    ],
)
def test_a_price_in_another_currency_shows_what_it_is_worth_in_the_base(price: Money, shown: str) -> None:
    assert approximately(price, RATES) == shown


def test_reference_rates_are_code_rate_pairs_against_one_base_at_1() -> None:
    assert RATES.base == "USD"
    assert RATES.per_base["GHS"] == Decimal("15.5")
    assert ReferenceRates.parse([]) == ReferenceRates(None, {})
    assert approximately(Money.of(18_600_000, "NGN"), ReferenceRates.parse([])) == ""


@pytest.mark.parametrize(
    "entries",
    [["USD=1", "NGN"], ["NGN=1550"], ["USD=1", "EUR=1"], ["USD=1", "NGN=0"], ["USD=1", "USD=1"], ["usd=1"]],
)
def test_rates_without_one_base_or_with_a_bad_entry_are_refused(entries: list[str]) -> None:
    with pytest.raises(InvalidRates):
        ReferenceRates.parse(entries)


def test_the_rates_setting_has_a_default_and_a_bad_value_stops_start_up(tmp_path: Path) -> None:
    default = load_settings({"ARTMARKET_DATA_DIR": str(tmp_path)}, env_file=None)
    assert ReferenceRates.parse(default.fx_rates).base == "USD"
    custom = load_settings({"ARTMARKET_FX_RATES": "NGN=1, USD=0.000645"}, env_file=None)
    assert ReferenceRates.parse(custom.fx_rates).base == "NGN"

    with pytest.raises(SettingsError) as refused:
        load_settings({"ARTMARKET_FX_RATES": "NGN=1550,GHS=15.5"}, env_file=None)

    assert any(problem.startswith("ARTMARKET_FX_RATES: Exactly one") for problem in refused.value.problems)


@pytest.mark.parametrize(
    ("dimensions", "cm", "inch"),
    [
        (Dimensions(900, 600), f"90{BY}60 cm", f"35.4{BY}23.6 in"),
        (Dimensions(905, 254, 30), f"90.5{BY}25.4{BY}3 cm", f"35.6{BY}10{BY}1.2 in"),
        (None, "", ""),
    ],
)
def test_a_size_reads_in_centimetres_and_in_inches(dimensions: Dimensions | None, cm: str, inch: str) -> None:
    assert (centimetres(dimensions), inches(dimensions)) == (cm, inch)


def test_a_country_is_named_in_the_page_language() -> None:
    assert [territory("NG"), territory("CI"), territory("GH", "fr"), territory("QQ"), territory(None)] == [
        "Nigeria",
        "Côte d\N{RIGHT SINGLE QUOTATION MARK}Ivoire",
        "Ghana",
        "QQ",
        "",
    ]


def test_the_territory_filter_names_a_country_in_the_page_language() -> None:
    template = environment().from_string("{{ code | territory }}")

    with speaking(Language.FRENCH):
        in_french = template.render(code="DE")

    assert [template.render(code="DE"), in_french] == ["Germany", "Allemagne"]


def test_a_length_limit_message_says_what_it_counts() -> None:
    assert InvalidTrackingUrl().message.endswith("of at most 500 characters.")
