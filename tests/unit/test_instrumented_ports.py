"""The instrumented gateway and ledger count what operators watch, and change nothing else."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.observability.instrumented import (
    InstrumentedLedger,
    InstrumentedPaymentGateway,
    unwrapped,
)
from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.payments.signing import sign
from artmarket.application.minting.ledger import LedgerRejected
from artmarket.application.payments.ports import (
    CheckoutRequest,
    InvalidWebhookSignature,
    MalformedWebhook,
    TransactionStatus,
)
from artmarket.domain.money import Money

SECRET = "sk_test_instrumented_ports_0123456789"


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def a_gateway() -> InstrumentedPaymentGateway:
    return InstrumentedPaymentGateway(
        SandboxPaymentGateway(SECRET, checkout_base_url="http://artmarket.test")
    )


async def test_webhooks_are_counted_by_result_and_bad_signatures_on_their_own() -> None:
    gateway = a_gateway()
    inner = unwrapped(gateway)
    assert isinstance(inner, SandboxPaymentGateway)
    request = CheckoutRequest(
        reference="am-instrumented-1",
        email="ada@example.com",
        amount=Money.of(2_500_000, "NGN"),
        callback_url="http://artmarket.test/callback",
        metadata={},
    )
    await gateway.initialize(request)
    inner.complete(request.reference)
    body, signature = inner.webhook_for(request.reference)
    failures = sample("artmarket_webhook_signature_failures_total")
    before = {
        r: sample("artmarket_payment_webhooks_total", result=r)
        for r in ("authentic", "invalid_signature", "malformed")
    }

    assert gateway.authenticate_webhook(body, signature).reference == request.reference
    with pytest.raises(InvalidWebhookSignature):
        gateway.authenticate_webhook(body, "0" * 128)
    with pytest.raises(InvalidWebhookSignature):
        gateway.authenticate_webhook(body, None)
    with pytest.raises(MalformedWebhook):
        gateway.authenticate_webhook(b"not json", sign(b"not json", SECRET))

    assert sample("artmarket_webhook_signature_failures_total") == failures + 2
    after = {r: sample("artmarket_payment_webhooks_total", result=r) for r in before}
    assert {r: after[r] - before[r] for r in before} == {
        "authentic": 1,
        "invalid_signature": 2,
        "malformed": 1,
    }


async def test_verifications_are_counted_by_the_providers_answer() -> None:
    gateway = a_gateway()
    before = sample("artmarket_payment_verifications_total", result="unknown")

    verification = await gateway.verify("am-never-seen")

    assert verification.status is TransactionStatus.UNKNOWN
    assert sample("artmarket_payment_verifications_total", result="unknown") == before + 1


async def test_mint_submissions_are_timed_by_result() -> None:
    ledger = InstrumentedLedger(SimulatedLedger())
    token_id = await ledger.default_collection()  # beyond the port: the simulated ledger's own
    successes = sample("artmarket_mint_duration_seconds_count", result="success")
    rejections = sample("artmarket_mint_duration_seconds_count", result="rejected")

    prepared = await ledger.prepare_mint(token_id, [b"ipfs://bafkreione"])
    receipt = await ledger.submit_mint(prepared)
    with pytest.raises(LedgerRejected):
        await ledger.submit_mint(await ledger.prepare_mint("0.0.999999", [b"ipfs://bafkreitwo"]))

    assert receipt.serials == (1,)
    assert sample("artmarket_mint_duration_seconds_count", result="success") == successes + 1
    assert sample("artmarket_mint_duration_seconds_count", result="rejected") == rejections + 1
    assert ledger.network == "simulated"
