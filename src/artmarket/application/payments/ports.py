"""The payment-gateway port: open a checkout, verify, refund, authenticate webhooks, pay out.

Every amount is `Money` (integer minor units: kobo, pesewa, cent), which is exactly
Paystack's "subunit". Every gateway raises only the errors defined here.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from artmarket.domain.errors import DomainError, InvalidValue
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import RefundStatus

# Paystack: "Only -, ., = and alphanumeric characters allowed." The maximum length is not
# documented; 100 is Paystack's advice for transfer references and ample for ours. Dots
# alone are refused: in a URL path ("/transaction/verify/..") they are a dot-segment, and
# the request would name another endpoint (the list of every transaction).
_REFERENCE = re.compile(r"(?!\.+$)[A-Za-z0-9.=-]{1,100}")


# --- errors ---------------------------------------------------------------------------


class PaymentGatewayError(DomainError):
    """The payment provider could not do what was asked."""

    default_message = "The payment provider could not complete the request."


class PaymentGatewayUnavailable(PaymentGatewayError):
    """Timeout, connection failure, 5xx or 429: try again later, after `retry_after` seconds if known."""

    default_message = "The payment provider is unavailable; try again later."

    def __init__(self, message: str | None = None, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PaymentOutcomeUnknown(PaymentGatewayUnavailable):
    """A request that is not safe to repeat (refund, subaccount) may or may not have been applied.

    The answer was lost (timeout, dropped connection or 5xx after sending). Find out what
    happened (refund.* webhooks, the provider's dashboard) before asking again.
    """

    default_message = "The payment provider did not confirm the request; it may or may not have been applied."


class PaymentRequestRejected(PaymentGatewayError):
    """The provider refused the request (`status: false` on a 4xx); keeps its message and code."""

    default_message = "The payment provider refused the request."

    def __init__(
        self,
        provider_message: str | None = None,
        *,
        code: str | None = None,
        http_status: int | None = None,
        message: str | None = None,
    ) -> None:
        if message is None and provider_message:
            message = f"Paystack refused the request: {provider_message}"
        super().__init__(message)
        self.provider_message = provider_message
        self.code = code
        self.http_status = http_status


class DuplicatePaymentReference(PaymentRequestRejected):
    """The reference already names a transaction, whose checkout link the provider does not give again.

    `verification` says what that transaction is now (`status` for short): `success`
    means it was paid (confirm the order); otherwise open a new checkout with a NEW
    reference. Paystack answers "Duplicate Transaction Reference" and its verify answer
    carries no `authorization_url`, so no gateway invents one.
    """

    default_message = "This payment reference was already used; open the checkout with a new reference."

    def __init__(self, reference: str, verification: PaymentVerification) -> None:
        super().__init__(
            "Duplicate Transaction Reference",
            code="duplicate_reference",
            http_status=400,
            message=self.default_message,
        )
        self.reference = reference
        self.verification = verification
        self.status = verification.status


class PaymentGatewayMisconfigured(PaymentGatewayError):
    """The provider refused our credentials (401 "Invalid key"): an operator must fix the settings."""

    default_message = "The payment provider refused the platform's API key; check the payment settings."


class InvalidWebhookSignature(DomainError):
    """The webhook's signature is missing or does not match its raw body (answer 401, store nothing)."""

    default_message = "The webhook signature does not match its body."


class MalformedWebhook(DomainError):
    """The webhook is authentic but its body is not a provider event (answer 400)."""

    default_message = "The webhook body is not a payment-provider event."


class InvalidPaymentReference(InvalidValue):
    default_message = (
        "A payment reference has 1 to 100 characters: letters, digits, '-', '.' and '=' (not only dots)."
    )
    field = "reference"


class InvalidCheckoutRequest(InvalidValue):
    default_message = "The checkout request is not valid."


def check_reference(reference: str) -> str:
    """The reference itself when Paystack accepts it (only -, ., = and ASCII alphanumerics; 1..100)."""
    if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
        raise InvalidPaymentReference()
    return reference


# --- values ---------------------------------------------------------------------------


class TransactionStatus(StrEnum):
    """A transaction's outcome as the provider's verify reports it (Paystack's `data.status`)."""

    ABANDONED = "abandoned"  # not completed by the customer (also a freshly opened checkout)
    FAILED = "failed"
    ONGOING = "ongoing"  # waiting for the customer (OTP, transfer)
    PENDING = "pending"
    PROCESSING = "processing"
    QUEUED = "queued"
    REVERSED = "reversed"  # refunded or charged back
    SUCCESS = "success"
    UNKNOWN = "unknown"  # the provider knows no transaction with this reference


class ProviderRefundStatus(StrEnum):
    """A refund's state as the provider spells it (Paystack: pending → processing → processed,
    or failed / needs-attention); the order records it as a domain `RefundStatus`."""

    PENDING = "pending"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    NEEDS_ATTENTION = "needs-attention"

    @property
    def on_order(self) -> RefundStatus:
        """The same state as the order stores it (the provider hyphenates, our values use `_`)."""
        return RefundStatus[self.name]


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """One payment to collect: `amount` in minor units under our own `reference`.

    With `subaccount` (an artist's `ACCT_...` code) the payment is split: by default the
    subaccount's `percentage_charge` goes to the platform. `transaction_charge`, in minor
    units, overrides that for this payment: Paystack sends exactly that flat amount to the
    platform (main account) "regardless of the split configuration" and the rest to the
    subaccount. Paystack's own fee is borne by the main account (Paystack's default
    `bearer: account`), so the platform nets `transaction_charge` minus the fee.
    """

    reference: str
    email: str
    amount: Money
    callback_url: str
    metadata: Mapping[str, str]
    subaccount: str | None = None
    transaction_charge: int | None = None

    def __post_init__(self) -> None:
        check_reference(self.reference)
        if not isinstance(self.email, str) or "@" not in self.email:
            raise InvalidCheckoutRequest("A checkout needs the customer's email address.")
        if not self.amount.is_positive:
            raise InvalidCheckoutRequest("A checkout needs a positive amount.")
        charge = self.transaction_charge
        if charge is not None:
            if self.subaccount is None:
                raise InvalidCheckoutRequest(
                    "A transaction charge applies only to a split (subaccount) payment."
                )
            whole = isinstance(charge, int) and not isinstance(charge, bool)
            if not whole or not 0 <= charge <= self.amount.amount:
                raise InvalidCheckoutRequest("The transaction charge is whole minor units within the amount.")


@dataclass(frozen=True, slots=True)
class CheckoutSession:
    """Where to send the buyer to pay: the provider's hosted checkout page."""

    reference: str
    authorization_url: str
    access_code: str


@dataclass(frozen=True, slots=True)
class PaymentVerification:
    """What the provider's verify says about one reference; only this decides whether money came in.

    `amount` is what was charged and `requested_amount` what the checkout asked for; they
    differ when fees are passed on to the customer (charged = requested + fees). Compare
    `requested_amount` and the currency exactly with the order and require
    `amount >= requested_amount`. `metadata` is what the checkout sent ({} when Paystack
    reports it as "", 0 or null); never find an order by it, use the reference.
    """

    reference: str
    status: TransactionStatus
    amount: Money | None
    requested_amount: Money | None
    paid_at: datetime | None
    gateway_response: str | None
    transaction_id: int | None
    raw: Mapping[str, object]
    metadata: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def unknown(cls, reference: str) -> PaymentVerification:
        """The answer for a reference the provider has never seen."""
        return cls(reference, TransactionStatus.UNKNOWN, None, None, None, None, None, {})


@dataclass(frozen=True, slots=True)
class RefundResult:
    """A refund the provider accepted; its final state arrives later as refund.* webhooks."""

    refund_id: str
    reference: str
    status: ProviderRefundStatus
    amount: Money


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """An authenticated provider event.

    `key` is unique per real event and identical for every redelivery and any
    re-serialisation of it, so storing events under a unique key drops duplicates:
    - charge.* and other events with `data.id`: f"{event}:{data.id}" (the transaction id;
      a transaction succeeds once);
    - refund.*: f"{event}:{transaction_reference}:{data.id or amount}" (Paystack's refund
      events carry no refund id except needs-attention; the event name holds the status);
    - transfer.*: f"{event}:{transfer_code or reference}";
    - anything else: f"{event}:ref:{reference}", else f"{event}:sha256:<canonical JSON of data>".
    `reference` is the transaction reference (for refunds: `data.transaction_reference`).
    `payload` is the parsed JSON with card `authorization_code`s redacted.
    """

    key: str
    event: str
    reference: str | None
    payload: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Subaccount:
    """A payee (an artist's bank account) whose share of split payments settles to them directly."""

    code: str
    commission_percent: int


# --- the port -------------------------------------------------------------------------


class PaymentGateway(Protocol):
    """A payment provider (Paystack). Raises only the errors above; never logs the secret key."""

    provider: str

    @abstractmethod
    async def initialize(self, request: CheckoutRequest) -> CheckoutSession:
        """Open a checkout under `request.reference`; a reused one raises `DuplicatePaymentReference`."""

    @abstractmethod
    def checkout_url(self, reference: str, issued: str | None) -> str | None:
        """Where the buyer pays `reference` now, given the link `initialize` issued (None: none yet)."""

    @abstractmethod
    async def verify(self, reference: str) -> PaymentVerification:
        """The transaction's current state; an unknown reference gives status `unknown`, not an error."""

    @abstractmethod
    async def refund(self, reference: str, *, amount: Money | None = None, reason: str) -> RefundResult:
        """Refund a successful transaction (all of it when `amount` is None); never retried blindly."""

    @abstractmethod
    async def refunds_of(self, reference: str) -> Sequence[RefundResult]:
        """The refunds of transaction `reference` as the provider reports them now, oldest first
        (empty: none, or no such transaction); what a `refund.*` event claims is checked here."""

    @abstractmethod
    def authenticate_webhook(self, raw_body: bytes, signature: str | None) -> WebhookEvent:
        """Check the signature over the raw bytes in constant time, then parse; no I/O."""

    @abstractmethod
    async def create_subaccount(
        self, *, business_name: str, bank_code: str, account_number: str, commission_percent: int
    ) -> Subaccount:
        """Register a payee; the platform keeps `commission_percent` of each split payment."""
