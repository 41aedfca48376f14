"""Money: integer minor units and an ISO 4217 currency; never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

from artmarket.domain.errors import InvalidValue

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class InvalidMoney(InvalidValue):
    default_message = "Money needs a whole number of minor units and a three-letter currency code."
    field = "price"


class CurrencyMismatch(InvalidValue):
    default_message = "Amounts in different currencies cannot be combined."


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 alphabetic code such as NGN."""

    code: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not _CURRENCY_CODE.fullmatch(self.code):
            raise InvalidMoney("{code!r} is not an ISO 4217 currency code.", code=self.code)

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency's minor unit (kobo, cent); never negative."""

    amount: int
    currency: Currency

    def __post_init__(self) -> None:
        # bool is an int subclass; True kobo is never what a caller meant.
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise InvalidMoney("The amount must be a whole number of minor units.")
        if self.amount < 0:
            raise InvalidMoney("The amount cannot be negative.")
        if not isinstance(self.currency, Currency):
            raise InvalidMoney("The currency must be a Currency.")

    @classmethod
    def of(cls, amount: int, currency: str) -> Money:
        return cls(amount, Currency(currency))

    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(
                "Cannot combine {one} with {other}.", one=self.currency, other=other.currency
            )

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def percentage(self, percent: int) -> Money:
        """The given whole percentage of this amount, rounded down to a minor unit."""
        if not 0 <= percent <= 100:
            raise InvalidMoney("A percentage lies between 0 and 100.")
        return Money(self.amount * percent // 100, self.currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} (minor units)"
