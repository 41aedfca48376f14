"""An in-memory Paystack: the dev sandbox gateway (`make run`), and the unit tests' payment fake.

It keeps transactions in Paystack's own verify shape and reads them with the Paystack
adapter's parsers, so it reports exactly what the real adapter would. Its checkout link
points at our own app (`/sandbox/paystack/checkout/{reference}` on the current base URL);
that page calls `complete` and posts `webhook_for(reference)` to our webhook. With a
`state_file` (the dev profile) transactions and refunds survive restarts. Tests assert on
the end state: `initialized`, `refunds`, `subaccounts`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from artmarket.adapters.payments.paystack_samples import (
    charge_success,
    new_transaction,
    paystack_time,
    random_code,
    test_card_authorization,
)
from artmarket.adapters.payments.paystack_shapes import check_commission_percent, parse_transaction
from artmarket.adapters.payments.sandbox_state import SandboxTransaction, load_state, save_state
from artmarket.adapters.payments.signing import authenticate_webhook, sign
from artmarket.application.payments.ports import (
    CheckoutRequest,
    CheckoutSession,
    DuplicatePaymentReference,
    PaymentGatewayError,
    PaymentRequestRejected,
    PaymentVerification,
    ProviderRefundStatus,
    RefundResult,
    Subaccount,
    TransactionStatus,
    WebhookEvent,
    check_reference,
)
from artmarket.application.ports import Clock
from artmarket.domain.money import Currency, Money

Operation = Literal["initialize", "verify", "refund", "refunds_of", "create_subaccount"]
Outcome = Literal["success", "failed", "abandoned"]

#: A refund's life at Paystack; a failed or stuck refund can still be processed (a retry).
_REFUND_STEPS = (
    ProviderRefundStatus.PENDING,
    ProviderRefundStatus.PROCESSING,
    ProviderRefundStatus.FAILED,
    ProviderRefundStatus.NEEDS_ATTENTION,
    ProviderRefundStatus.PROCESSED,
)


class SandboxPaymentGateway:
    """`PaymentGateway` that behaves like Paystack, in memory, with helpers to play the customer."""

    provider = "paystack"

    def __init__(
        self,
        secret_key: str,
        *,
        checkout_base_url: str,
        clock: Clock | None = None,
        state_file: Path | None = None,
    ) -> None:
        self._secret_key = secret_key
        self._checkout_base_url = checkout_base_url.rstrip("/")
        self._now: Callable[[], datetime] = clock.now if clock is not None else (lambda: datetime.now(UTC))
        self._state_file = state_file
        self._transactions: dict[str, SandboxTransaction] = {}
        #: Every refund accepted, with its latest status (see `refund_webhook_for`).
        self.refunds: list[RefundResult] = []
        if state_file is not None and state_file.exists():
            self._transactions, self.refunds = load_state(state_file)
        self._transaction_ids = itertools.count(4_000_000_001 + len(self._transactions))
        self._refund_ids = itertools.count(3_000_001 + len(self.refunds))
        self._failures: dict[Operation, list[PaymentGatewayError]] = {}
        #: Every checkout accepted, in order.
        self.initialized: list[CheckoutRequest] = []
        #: Every subaccount created.
        self.subaccounts: list[Subaccount] = []

    def __repr__(self) -> str:
        return f"SandboxPaymentGateway(checkout_base_url={self._checkout_base_url!r})"

    async def aclose(self) -> None:
        """Nothing to release; here so callers can treat every gateway alike."""

    # --- the port ---------------------------------------------------------------------

    async def initialize(self, request: CheckoutRequest) -> CheckoutSession:
        self._raise_injected("initialize")
        if request.reference in self._transactions:
            raise DuplicatePaymentReference(request.reference, self._verification(request.reference))
        now = paystack_time(self._now())
        access_code = random_code(15)
        url = self._checkout_url(request.reference)
        self._transactions[request.reference] = SandboxTransaction(
            request=request,
            data=new_transaction(
                transaction_id=next(self._transaction_ids),
                customer_id=180_000_000 + len(self._transactions),
                reference=request.reference,
                amount=request.amount.amount,
                currency=request.amount.currency.code,
                email=request.email,
                metadata=dict(request.metadata) if request.metadata else "",
                subaccount=request.subaccount,
                now=now,
            ),
            access_code=access_code,
        )
        self.initialized.append(request)
        self._save()
        return CheckoutSession(request.reference, url, access_code)

    def checkout_url(self, reference: str, issued: str | None) -> str | None:
        """The sandbox page of `reference` on the current base URL: the app may have moved port."""
        return self._checkout_url(reference) if issued is not None else None

    async def verify(self, reference: str) -> PaymentVerification:
        check_reference(reference)
        self._raise_injected("verify")
        return self._verification(reference)

    async def refund(self, reference: str, *, amount: Money | None = None, reason: str) -> RefundResult:
        check_reference(reference)
        self._raise_injected("refund")
        transaction = self._transactions.get(reference)
        if transaction is None:
            raise PaymentRequestRejected("Transaction not found", http_status=404)
        verification = self._verification(reference)
        charged = verification.amount
        if verification.status is TransactionStatus.REVERSED:
            raise PaymentRequestRejected("Transaction has been fully reversed", http_status=400)
        if verification.status is not TransactionStatus.SUCCESS or charged is None:
            raise PaymentRequestRejected("Only a successful transaction can be refunded", http_status=400)
        refunded = sum(
            r.amount.amount
            for r in self.refunds
            if r.reference == reference and r.status is not ProviderRefundStatus.FAILED
        )
        if refunded >= charged.amount:
            raise PaymentRequestRejected("Transaction has been fully reversed", http_status=400)
        wanted = amount if amount is not None else Money(charged.amount - refunded, charged.currency)
        if wanted.currency != charged.currency:
            raise PaymentRequestRejected("Currency does not match the transaction's", http_status=400)
        if not wanted.is_positive or refunded + wanted.amount > charged.amount:
            raise PaymentRequestRejected(
                "Refund amount cannot be more than the original transaction amount", http_status=400
            )
        result = RefundResult(str(next(self._refund_ids)), reference, ProviderRefundStatus.PENDING, wanted)
        self.refunds.append(result)
        self._save()
        return result

    async def refunds_of(self, reference: str) -> list[RefundResult]:
        check_reference(reference)
        self._raise_injected("refunds_of")
        return [refund for refund in self.refunds if refund.reference == reference]

    def authenticate_webhook(self, raw_body: bytes, signature: str | None) -> WebhookEvent:
        return authenticate_webhook(raw_body, signature, self._secret_key)

    async def create_subaccount(
        self, *, business_name: str, bank_code: str, account_number: str, commission_percent: int
    ) -> Subaccount:
        self._raise_injected("create_subaccount")
        check_commission_percent(commission_percent)
        if not business_name.strip():
            raise PaymentRequestRejected("business_name is required", http_status=400)
        if not bank_code.isdigit():
            raise PaymentRequestRejected("settlement_bank is invalid", http_status=400)
        if not account_number.isdigit() or len(account_number) < 6:
            raise PaymentRequestRejected(
                "Account number must be at least 6 digits in length", http_status=400
            )
        subaccount = Subaccount(code=f"ACCT_{random_code(15)}", commission_percent=commission_percent)
        self.subaccounts.append(subaccount)
        return subaccount

    # --- playing the customer and Paystack (tests, sandbox) ---------------------------

    def checkout_request(self, reference: str) -> CheckoutRequest | None:
        """The checkout opened under `reference`, for the sandbox page to show."""
        transaction = self._transactions.get(reference)
        return transaction.request if transaction is not None else None

    def complete(
        self,
        reference: str,
        *,
        outcome: Outcome = "success",
        amount: Money | None = None,
        currency: str | None = None,
        requested_amount: Money | None = None,
        paid_at: datetime | None = None,
    ) -> PaymentVerification:
        """The customer finishes the checkout with `outcome`.

        `amount` makes the transaction one for another sum (charged and requested alike: a
        wrong amount); `currency` changes only the currency; `requested_amount` sets what
        the checkout asked for apart from what was charged (fees passed on to the
        customer: charged = requested + fees). Times are kept to the millisecond, like
        Paystack's. Completing a paid transaction again with "success" changes nothing.
        """
        transaction = self._transaction(reference)
        data = transaction.data
        if data["status"] == TransactionStatus.SUCCESS.value:
            if outcome == "success":
                return self._verification(reference)
            raise ValueError(f"Transaction {reference} was already paid.")
        if amount is not None:
            data["amount"] = data["requested_amount"] = amount.amount
            data["currency"] = amount.currency.code
        if currency is not None:
            data["currency"] = Currency(currency).code
        if requested_amount is not None:
            data["requested_amount"] = requested_amount.amount
        if outcome == "success":
            stamp = paystack_time(paid_at or self._now())
            charged, asked = data["amount"], data["requested_amount"]
            fees = charged - asked if isinstance(charged, int) and isinstance(asked, int) else 0
            data.update(
                status="success",
                gateway_response="Successful",
                paid_at=stamp,
                paidAt=stamp,
                fees=max(fees, 0),
                authorization=test_card_authorization(),
            )
        elif outcome == "failed":
            data.update(status="failed", gateway_response="Declined", paid_at=None, paidAt=None)
        else:
            data.update(
                status="abandoned",
                gateway_response="The transaction was not completed",
                paid_at=None,
                paidAt=None,
            )
        self._save()
        return self._verification(reference)

    def webhook_for(self, reference: str) -> tuple[bytes, str]:
        """The `charge.success` Paystack would send for a paid transaction, and its signature.

        Compact JSON in the key order of Paystack's own sample; the signature is the
        `x-paystack-signature` header value.
        """
        data = self._transaction(reference).data
        if data["status"] != TransactionStatus.SUCCESS.value:
            raise ValueError(
                f"Paystack sends charge.success only for a paid transaction; {reference} is not."
            )
        return self._signed(charge_success(data))

    def refund_webhook_for(self, refund_id: str, status: ProviderRefundStatus | str) -> tuple[bytes, str]:
        """The refund.{status} event Paystack would send, and its signature; records the new status
        unless the refund is already further along (the event is then a late, stale one).

        Shaped like Paystack's samples: the amount is a string except in refund.failed,
        `refund_reference` is null until processed, and only needs-attention has an `id`.
        """
        status = ProviderRefundStatus(status)
        index, refund = next((i, r) for i, r in enumerate(self.refunds) if r.refund_id == refund_id)
        if _REFUND_STEPS.index(status) > _REFUND_STEPS.index(refund.status):
            self.refunds[index] = replace(refund, status=status)
        transaction = self._transaction(refund.reference)
        processed = sum(
            r.amount.amount
            for r in self.refunds
            if r.reference == refund.reference and r.status is ProviderRefundStatus.PROCESSED
        )
        if processed >= _int(transaction.data["amount"]):
            transaction.data["status"] = TransactionStatus.REVERSED.value
        data: dict[str, object] = {}
        if status is ProviderRefundStatus.NEEDS_ATTENTION:
            data["id"] = refund_id
        data.update(
            status=status.value,
            transaction_reference=refund.reference,
            refund_reference=None
            if status in (ProviderRefundStatus.PENDING, ProviderRefundStatus.PROCESSING)
            else f"{int(refund_id):012d}",
            amount=refund.amount.amount
            if status is ProviderRefundStatus.FAILED
            else str(refund.amount.amount),
            currency=refund.amount.currency.code,
            processor="sandbox",
            customer={"first_name": None, "last_name": None, "email": transaction.request.email},
            integration=100001,
            domain="test",
        )
        if status is ProviderRefundStatus.NEEDS_ATTENTION:
            data.update(customer_note="Refund", merchant_note="Refund")
        self._save()
        return self._signed({"event": f"refund.{status.value}", "data": data})

    def fail_next(self, operation: Operation, error: PaymentGatewayError) -> None:
        """Make the next call of `operation` raise `error` (e.g. PaymentGatewayUnavailable())."""
        self._failures.setdefault(operation, []).append(error)

    # --- internals --------------------------------------------------------------------

    def _transaction(self, reference: str) -> SandboxTransaction:
        transaction = self._transactions.get(reference)
        if transaction is None:
            raise LookupError(f"No checkout was opened under reference {reference!r}.")
        return transaction

    def _checkout_url(self, reference: str) -> str:
        return f"{self._checkout_base_url}/sandbox/paystack/checkout/{reference}"

    def _save(self) -> None:
        if self._state_file is not None:
            save_state(self._state_file, self._transactions, self.refunds)

    def _verification(self, reference: str) -> PaymentVerification:
        transaction = self._transactions.get(reference)
        if transaction is None:
            return PaymentVerification.unknown(reference)
        return parse_transaction(transaction.data, reference)

    def _signed(self, document: dict[str, object]) -> tuple[bytes, str]:
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return body, sign(body, self._secret_key)

    def _raise_injected(self, operation: Operation) -> None:
        pending = self._failures.get(operation)
        if pending:
            raise pending.pop(0)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
