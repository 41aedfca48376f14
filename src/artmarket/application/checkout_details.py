"""What a buyer types at checkout about themselves and where the work goes, and its checks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from uuid import UUID

from artmarket.domain.delivery import BuyerContact, PostalAddress
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Email


@dataclass(frozen=True, slots=True)
class AddressInput:
    """A postal address as typed; `to_address` checks it."""

    name: str
    lines: Sequence[str]
    city: str
    country: str
    region: str | None = None
    postal_code: str | None = None

    def to_address(self, location: str | None = None) -> PostalAddress:
        """The checked address; an error names the part, under `location` when given."""
        try:
            return PostalAddress.of(
                name=self.name,
                lines=list(self.lines),
                city=self.city,
                region=self.region,
                postal_code=self.postal_code,
                country=self.country,
            )
        except InvalidValue as error:
            raise (error.under(location) if location else error) from None


@dataclass(frozen=True, slots=True)
class BuyerInput:
    """The buyer's contact details as typed; the email defaults to the account's."""

    full_name: str
    phone: str
    email: str | None = None

    def to_contact(self, account_email: Email) -> BuyerContact:
        try:
            return BuyerContact.of(
                full_name=self.full_name, phone=self.phone, email=self.email or account_email
            )
        except InvalidValue as error:
            raise error.under("buyer") from None


@dataclass(frozen=True, slots=True)
class CheckoutDetails:
    """Buyer details and delivery address sent with Buy Now (needed for physical works).

    The address is given in full (`delivery_address`) or as one of the buyer's saved
    addresses (`delivery_address_id`), not both.
    """

    buyer: BuyerInput | None = None
    delivery_address: AddressInput | None = None
    delivery_address_id: UUID | None = None

    def __post_init__(self) -> None:
        if self.delivery_address is not None and self.delivery_address_id is not None:
            raise InvalidValue(
                "Give either delivery_address or delivery_address_id, not both.", field="delivery_address_id"
            )

    @property
    def is_empty(self) -> bool:
        return self.buyer is None and self.delivery_address is None and self.delivery_address_id is None

    def canonical(self) -> str:
        """The details as stable text, part of the fingerprint an Idempotency-Key is bound to."""
        return json.dumps(asdict(self), sort_keys=True, default=str, separators=(",", ":"))
