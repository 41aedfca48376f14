"""Port decorators that measure and trace calls to the outside world without changing them.

The composition root wraps the payment gateway and the ledger in these, so the use cases
stay unaware: each call is a CLIENT span (a child of whatever request or task made it), and
the calls operators count (verifications, webhook signatures, mint latency) feed the
Prometheus metrics. Results and errors pass through untouched.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, cast

from opentelemetry.trace import SpanKind

from artmarket.adapters.observability.metrics import (
    MINT_DURATION,
    PAYMENT_VERIFICATIONS,
    PAYMENT_WEBHOOKS,
    WEBHOOK_SIGNATURE_FAILURES,
)
from artmarket.adapters.observability.tracing import tracer
from artmarket.application.minting.certificate_transactions import (
    CertificateLedger,
    PreparedTransaction,
    TopicMessage,
    TransactionOutcome,
)
from artmarket.application.minting.ledger import (
    Ledger,
    LedgerRejected,
    MintReceipt,
    NftRecord,
    PreparedMint,
)
from artmarket.application.payments.ports import (
    CheckoutRequest,
    CheckoutSession,
    InvalidWebhookSignature,
    MalformedWebhook,
    PaymentGateway,
    PaymentGatewayUnavailable,
    PaymentVerification,
    RefundResult,
    Subaccount,
    WebhookEvent,
)
from artmarket.domain.money import Money


class InstrumentedPaymentGateway:
    """A `PaymentGateway` whose calls are spans and whose verifications and webhooks are counted."""

    def __init__(self, inner: PaymentGateway) -> None:
        self.wrapped = inner
        # A plain attribute, as the port declares it; the wrapped adapter's never changes.
        self.provider = inner.provider

    def _span(self, operation: str, **attributes: Any) -> Any:
        return tracer().start_as_current_span(
            f"{self.wrapped.provider} {operation}",
            kind=SpanKind.CLIENT,
            attributes={"payment.provider": self.wrapped.provider, **attributes},
        )

    async def initialize(self, request: CheckoutRequest) -> CheckoutSession:
        with self._span("initialize", **{"payment.reference": request.reference}):
            return await self.wrapped.initialize(request)

    def checkout_url(self, reference: str, issued: str | None) -> str | None:
        return self.wrapped.checkout_url(reference, issued)

    async def verify(self, reference: str) -> PaymentVerification:
        with self._span("verify", **{"payment.reference": reference}) as span:
            try:
                verification = await self.wrapped.verify(reference)
            except PaymentGatewayUnavailable:
                PAYMENT_VERIFICATIONS.labels("unavailable").inc()
                raise
            except Exception:
                PAYMENT_VERIFICATIONS.labels("error").inc()
                raise
            PAYMENT_VERIFICATIONS.labels(verification.status.value).inc()
            span.set_attribute("payment.status", verification.status.value)
            return verification

    async def refund(self, reference: str, *, amount: Money | None = None, reason: str) -> RefundResult:
        with self._span("refund", **{"payment.reference": reference}):
            return await self.wrapped.refund(reference, amount=amount, reason=reason)

    async def refunds_of(self, reference: str) -> Sequence[RefundResult]:
        with self._span("refunds_of", **{"payment.reference": reference}):
            return await self.wrapped.refunds_of(reference)

    def authenticate_webhook(self, raw_body: bytes, signature: str | None) -> WebhookEvent:
        try:
            event = self.wrapped.authenticate_webhook(raw_body, signature)
        except InvalidWebhookSignature:
            WEBHOOK_SIGNATURE_FAILURES.inc()
            PAYMENT_WEBHOOKS.labels("invalid_signature").inc()
            raise
        except MalformedWebhook:
            PAYMENT_WEBHOOKS.labels("malformed").inc()
            raise
        PAYMENT_WEBHOOKS.labels("authentic").inc()
        return event

    async def create_subaccount(
        self, *, business_name: str, bank_code: str, account_number: str, commission_percent: int
    ) -> Subaccount:
        with self._span("create_subaccount"):
            return await self.wrapped.create_subaccount(
                business_name=business_name,
                bank_code=bank_code,
                account_number=account_number,
                commission_percent=commission_percent,
            )

    def __getattr__(self, name: str) -> Any:
        # Anything beyond the port (the sandbox's checkout page helpers) is the wrapped gateway's.
        return getattr(self.wrapped, name)


class InstrumentedLedger:
    """A `Ledger` (and `CertificateLedger`) whose calls are spans and whose mint submissions are timed."""

    def __init__(self, inner: Ledger) -> None:
        self.wrapped = inner
        # A plain attribute, as the port declares it; the wrapped adapter's never changes.
        self.network = inner.network

    def _span(self, operation: str, **attributes: Any) -> Any:
        return tracer().start_as_current_span(
            f"ledger {operation}",
            kind=SpanKind.CLIENT,
            attributes={"ledger.network": self.wrapped.network, **attributes},
        )

    async def create_collection(self, *, name: str, symbol: str, max_supply: int) -> str:
        with self._span("create_collection"):
            return await self.wrapped.create_collection(name=name, symbol=symbol, max_supply=max_supply)

    async def prepare_mint(self, token_id: str, metadata: Sequence[bytes]) -> PreparedMint:
        with self._span("prepare_mint", **{"ledger.token_id": token_id, "ledger.batch_size": len(metadata)}):
            return await self.wrapped.prepare_mint(token_id, metadata)

    async def submit_mint(self, prepared: PreparedMint) -> MintReceipt:
        with self._span("submit_mint", **{"ledger.transaction_id": prepared.transaction_id}):
            started = time.perf_counter()
            result = "unavailable"
            try:
                receipt = await self.wrapped.submit_mint(prepared)
                result = "success"
                return receipt
            except LedgerRejected:
                result = "rejected"
                raise
            finally:
                MINT_DURATION.labels(result).observe(time.perf_counter() - started)

    async def mint_receipt(self, transaction_id: str, *, token_id: str | None = None) -> MintReceipt | None:
        with self._span("mint_receipt", **{"ledger.transaction_id": transaction_id}):
            return await self.wrapped.mint_receipt(transaction_id, token_id=token_id)

    async def nft(self, token_id: str, serial: int) -> NftRecord | None:
        with self._span("nft", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self.wrapped.nft(token_id, serial)

    def explorer_url(self, token_id: str, serial: int) -> str | None:
        return self.wrapped.explorer_url(token_id, serial)

    def transaction_explorer_url(self, transaction_id: str) -> str | None:
        return self.wrapped.transaction_explorer_url(transaction_id)

    # -- CertificateLedger ---------------------------------------------------------------

    def _certificates(self) -> CertificateLedger:
        # Both ledger adapters are CertificateLedgers too; the composition root wraps one of them.
        return cast(CertificateLedger, self.wrapped)

    @property
    def treasury_account(self) -> str:
        return self._certificates().treasury_account

    async def create_topic(self, *, memo: str) -> str:
        with self._span("create_topic"):
            return await self._certificates().create_topic(memo=memo)

    async def prepare_burn(self, token_id: str, serial: int) -> PreparedTransaction:
        with self._span("prepare_burn", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self._certificates().prepare_burn(token_id, serial)

    async def prepare_topic_message(self, topic_id: str, message: bytes) -> PreparedTransaction:
        with self._span("prepare_topic_message", **{"ledger.topic_id": topic_id}):
            return await self._certificates().prepare_topic_message(topic_id, message)

    async def prepare_transfer(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        with self._span("prepare_transfer", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self._certificates().prepare_transfer(token_id, serial, account_id)

    async def prepare_airdrop(self, token_id: str, serial: int, account_id: str) -> PreparedTransaction:
        with self._span("prepare_airdrop", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self._certificates().prepare_airdrop(token_id, serial, account_id)

    async def prepare_cancel_airdrop(
        self, token_id: str, serial: int, account_id: str
    ) -> PreparedTransaction:
        with self._span("prepare_cancel_airdrop", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self._certificates().prepare_cancel_airdrop(token_id, serial, account_id)

    async def submit(self, prepared: PreparedTransaction) -> TransactionOutcome:
        attributes = {"ledger.transaction_id": prepared.transaction_id, "ledger.kind": prepared.kind.value}
        with self._span("submit", **attributes):
            return await self._certificates().submit(prepared)

    async def transaction_outcome(self, transaction_id: str) -> TransactionOutcome | None:
        with self._span("transaction_outcome", **{"ledger.transaction_id": transaction_id}):
            return await self._certificates().transaction_outcome(transaction_id)

    async def accepts_token(self, account_id: str, token_id: str) -> bool:
        with self._span("accepts_token", **{"ledger.token_id": token_id}):
            return await self._certificates().accepts_token(account_id, token_id)

    async def pending_airdrop(self, token_id: str, serial: int, account_id: str) -> bool:
        with self._span("pending_airdrop", **{"ledger.token_id": token_id, "ledger.serial": serial}):
            return await self._certificates().pending_airdrop(token_id, serial, account_id)

    async def topic_messages(
        self, topic_id: str, *, after: int = 0, limit: int = 100
    ) -> Sequence[TopicMessage]:
        with self._span("topic_messages", **{"ledger.topic_id": topic_id, "ledger.after": after}):
            return await self._certificates().topic_messages(topic_id, after=after, limit=limit)

    def __getattr__(self, name: str) -> Any:
        # Beyond the port (the simulated ledger's default collection) is the wrapped ledger's.
        return getattr(self.wrapped, name)


def unwrapped(adapter: object) -> object:
    """The adapter inside any instrumentation (for checks of which adapter was chosen)."""
    while isinstance(adapter, InstrumentedPaymentGateway | InstrumentedLedger):
        adapter = adapter.wrapped
    return adapter
