"""Money: integer minor units in one currency, never mixed, never negative."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artmarket.domain.money import Currency, CurrencyMismatch, InvalidMoney, Money

currencies = st.sampled_from(["NGN", "USD", "GHS", "ZAR", "KES"])
amounts = st.integers(min_value=0, max_value=10**15)


@given(amounts, amounts, currencies)
def test_adding_money_adds_minor_units_and_keeps_the_currency(a: int, b: int, code: str) -> None:
    total = Money.of(a, code) + Money.of(b, code)
    assert total == Money.of(a + b, code)


@given(amounts, amounts, currencies)
def test_addition_is_commutative(a: int, b: int, code: str) -> None:
    assert Money.of(a, code) + Money.of(b, code) == Money.of(b, code) + Money.of(a, code)


@given(amounts, currencies, st.integers(min_value=0, max_value=100))
def test_a_percentage_never_exceeds_the_whole_and_both_parts_add_up(a: int, code: str, percent: int) -> None:
    whole = Money.of(a, code)
    share = whole.percentage(percent)
    assert share <= whole
    assert share + (whole - share) == whole


@given(amounts, amounts)
def test_money_in_different_currencies_cannot_be_combined_or_compared(a: int, b: int) -> None:
    with pytest.raises(CurrencyMismatch):
        Money.of(a, "NGN") + Money.of(b, "USD")
    with pytest.raises(CurrencyMismatch):
        _ = Money.of(a, "NGN") < Money.of(b, "USD")


@given(st.integers(max_value=-1), currencies)
def test_negative_amounts_are_refused(amount: int, code: str) -> None:
    with pytest.raises(InvalidMoney):
        Money.of(amount, code)


@pytest.mark.parametrize("amount", [1.5, 10.0, "100", True, None])
def test_only_whole_numbers_of_minor_units_are_money(amount: object) -> None:
    with pytest.raises(InvalidMoney):
        Money(amount, Currency("NGN"))  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["ngn", "NG", "NGNN", "", "N1N", 566])
def test_currency_codes_are_three_capital_letters(code: object) -> None:
    with pytest.raises(InvalidMoney):
        Currency(code)  # type: ignore[arg-type]


def test_subtraction_below_zero_is_refused() -> None:
    with pytest.raises(InvalidMoney):
        Money.of(100, "NGN") - Money.of(101, "NGN")
