"""The payment-gateway contract: one suite, run against the fake and against Paystack's adapter.

"paystack" is the real `PaystackGateway` talking HTTP to the local Paystack stand-in.
Both gateways use the sample secret key from Paystack's docs, so Paystack's documented
webhook vectors (reference doc §8) apply to both.

Duplicate references: both gateways refuse a reused reference with
`DuplicatePaymentReference`, carrying the existing transaction's verification. The
Paystack adapter gets "Duplicate Transaction Reference" from Paystack, verifies the
reference, and (Paystack's verify has no checkout link) raises rather than invent one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.support.paystack_standin import DOCUMENTED_SAMPLE_KEY, PaystackStandIn

from artmarket.adapters.payments.paystack import PaystackGateway
from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.payments.signing import REDACTED, sign
from artmarket.application.payments.ports import (
    CheckoutRequest,
    DuplicatePaymentReference,
    InvalidCheckoutRequest,
    InvalidPaymentReference,
    InvalidWebhookSignature,
    MalformedWebhook,
    PaymentGateway,
    PaymentRequestRejected,
    ProviderRefundStatus,
    TransactionStatus,
    check_reference,
)
from artmarket.domain.errors import InvalidValue
from artmarket.domain.money import Money

SECRET = DOCUMENTED_SAMPLE_KEY
OTHER_KEY = "sk_test_artmarket_vector_key_0001"
PRICE = Money.of(2_500_000, "NGN")  # NGN 25,000.00 in kobo

VECTOR_A = (
    b'{"event":"charge.success","data":{"id":302961,"domain":"live","status":"success","refere'
    b'nce":"qTPrJoy9Bx","amount":10000,"message":null,"gateway_response":"Approved by Financia'
    b'l Institution","paid_at":"2016-09-30T21:10:19.000Z","created_at":"2016-09-30T21:09:56.00'
    b'0Z","channel":"card","currency":"NGN","ip_address":"41.242.49.37","metadata":0,"log":{"t'
    b'ime_spent":16,"attempts":1,"authentication":"pin","errors":0,"success":false,"mobile":fa'
    b'lse,"input":[],"channel":null,"history":[{"type":"input","message":"Filled these fields:'
    b' card number, card expiry, card cvv","time":15},{"type":"action","message":"Attempted to'
    b' pay","time":15},{"type":"auth","message":"Authentication Required: pin","time":16}]},"f'
    b'ees":null,"customer":{"id":68324,"first_name":"BoJack","last_name":"Horseman","email":"b'
    b'ojack@horseman.com","customer_code":"CUS_qo38as2hpsgk2r0","phone":null,"metadata":null,"'
    b'risk_action":"default"},"authorization":{"authorization_code":"AUTH_f5rnfq9p","bin":"539'
    b'999","last4":"8877","exp_month":"08","exp_year":"2020","card_type":"mastercard DEBIT","b'
    b'ank":"Guaranty Trust Bank","country_code":"NG","brand":"mastercard","account_name":"BoJa'
    b'ck Horseman"},"plan":{}}}'
)
VECTOR_B = (
    b'{"event":"charge.success","data":{"id":3104021987,"domain":"test","status":"success","re'
    b'ference":"zuz8ggd1ro","amount":25000,"message":null,"gateway_response":"Approved","paid_'
    b'at":"2023-09-12T13:29:09.000Z","created_at":"2023-09-12T13:27:50.000Z","channel":"bank_t'
    b'ransfer","currency":"NGN","ip_address":"172.91.42.100","metadata":"","fees_breakdown":nu'
    b'll,"log":null,"fees":375,"fees_split":null,"authorization":{"authorization_code":"AUTH_q'
    b'5nfynycgm","bin":"008XXX","last4":"X553","exp_month":"09","exp_year":"2023","channel":"b'
    b'ank_transfer","card_type":"transfer","bank":null,"country_code":"NG","brand":"Managed Ac'
    b'count","reusable":false,"signature":null,"account_name":null,"sender_country":"NG","send'
    b'er_bank":null,"sender_bank_account_number":"XXXXXXX553","sender_name":"Jadesola Oluwashi'
    b'na","narration":"Channel Tests"},"customer":{"id":138496675,"first_name":null,"last_name'
    b'":null,"email":"another@one.com","customer_code":"CUS_1eq06yu8efl8u63","phone":null,"met'
    b'adata":null,"risk_action":"default","international_format_phone":null},"plan":{},"subacc'
    b'ount":{},"split":{},"order_id":null,"paidAt":"2023-09-12T13:29:09.000Z","requested_amoun'
    b't":25000,"pos_transaction_data":null,"source":{"type":"api","source":"merchant_api","ent'
    b'ry_point":"charge","identifier":null}}}'
)
VECTOR_D = (
    b'{"event":"charge.success","data":{"id":302961,"status":"success","reference":"qTPrJoy9Bx'
    b'","amount":10000,"currency":"NGN"}}'
)
# Signatures from the reference doc §8 (HMAC-SHA512, Paystack's sample key unless noted).
VECTOR_A_SHA256 = "efc161204b615f13ff393c3fa354490df544734c68c26407f12f6ef0c6f093d1"
VECTOR_A_SIGNATURE = (
    "0c206dba0f5659f0d1c7a5e6caf2ddbd6e27b06700eee46d3c14fedb5ecfb848"
    "886b4aa5f7a7b1fe1f23b80c0b30d75b75ca3b48d8245549c7f75c91ec9e20f6"
)
VECTOR_A_OTHER_KEY_SIGNATURE = (
    "fa16f593ac4b4c16674f64a18482a1ac92bcabea443141a821523dc24c416dbd"
    "08958362d182ba75ea1d892aa58bbcf67b9e6ee248f295355b3f5d74af6c950c"
)
VECTOR_A_PYTHON_DUMPS_SIGNATURE = (
    "128bf6a1872f8cfd67cd8e506803918608dedd5848bd6d4d887e4691f8967644"
    "e15f1607f5378f0729aa6e6284468b54f6abac191a608db18a4903c19926e51d"
)
VECTOR_B_SIGNATURE = (
    "2dc4ff8a47266e178508b42ffcf767106edb5510dd5691d514cbeef263078318"
    "b88212a8a033a9e10a498562e8e161ab9cc536889e7e7321695bd0c520a90827"
)
VECTOR_D_SIGNATURE = (
    "37ed6b80c0dbc02efacc65b986d9b4f16144fc676d60dafa4078fd818d6718b4"
    "bb580f8547acf239f29b25872650171dee1af45f757aac560908246ec60eab03"
)


@dataclass
class Kit:
    """A gateway plus the customer's and Paystack's side of it."""

    gateway: PaymentGateway
    pay: Callable[..., object]
    charge_success_webhook: Callable[[str], tuple[bytes, str]]
    refund_webhook: Callable[[str, str], tuple[bytes, str]]
    transactions: Callable[[], int]


def _fake_kit() -> Kit:
    fake = SandboxPaymentGateway(SECRET, checkout_base_url="http://artmarket.test")

    def pay(
        reference: str,
        *,
        amount: Money | None = None,
        requested: Money | None = None,
        paid_at: datetime | None = None,
        outcome: Literal["success", "failed", "abandoned"] = "success",
    ) -> object:
        return fake.complete(
            reference, outcome=outcome, amount=amount, requested_amount=requested, paid_at=paid_at
        )

    return Kit(fake, pay, fake.webhook_for, fake.refund_webhook_for, lambda: len(fake.initialized))


def _paystack_kit(standin: PaystackStandIn, gateway: PaystackGateway) -> Kit:
    def pay(
        reference: str,
        *,
        amount: Money | None = None,
        requested: Money | None = None,
        paid_at: datetime | None = None,
        outcome: str = "success",
    ) -> object:
        return standin.pay(
            reference,
            amount=amount.amount if amount else None,
            currency=amount.currency.code if amount else None,
            status=outcome,
            requested_amount=requested.amount if requested else None,
            paid_at=paid_at,
        )

    return Kit(
        gateway, pay, standin.webhook_for, standin.refund_webhook_for, lambda: len(standin.transactions)
    )


@pytest.fixture(params=["fake", "paystack"])
async def kit(request: pytest.FixtureRequest) -> AsyncIterator[Kit]:
    if request.param == "fake":
        yield _fake_kit()
        return
    standin: PaystackStandIn = request.getfixturevalue("paystack_standin")
    gateway = PaystackGateway(SECRET, base_url=standin.base_url, timeout=0.5, max_retries=2, backoff=0.01)
    try:
        yield _paystack_kit(standin, gateway)
    finally:
        await gateway.aclose()


def new_reference() -> str:
    return f"am-{uuid4().hex}"


def checkout(reference: str | None = None, amount: Money = PRICE, **fields: object) -> CheckoutRequest:
    return CheckoutRequest(
        reference=reference or new_reference(),
        email="ada@example.com",
        amount=amount,
        callback_url="http://artmarket.test/api/v1/payments/paystack/callback",
        metadata={"order_id": "0190f3c2-7b1e-7000-8000-000000000001"},
        **fields,  # type: ignore[arg-type]
    )


async def opened(kit: Kit, amount: Money = PRICE) -> str:
    request = checkout(amount=amount)
    await kit.gateway.initialize(request)
    return request.reference


def resign(body: bytes, key: str = SECRET) -> tuple[bytes, str]:
    return body, sign(body, key)


# --- initialize ---------------------------------------------------------------------------


async def test_initialize_returns_a_checkout_link_and_echoes_the_reference(kit: Kit) -> None:
    request = checkout()

    session = await kit.gateway.initialize(request)

    assert session.reference == request.reference
    assert session.authorization_url.startswith(("http://", "https://"))
    assert session.access_code
    assert kit.transactions() == 1


async def test_a_reused_reference_is_refused_and_opens_no_second_transaction(kit: Kit) -> None:
    request = checkout()
    await kit.gateway.initialize(request)

    with pytest.raises(DuplicatePaymentReference) as refused:
        await kit.gateway.initialize(request)

    assert refused.value.reference == request.reference
    assert refused.value.status is TransactionStatus.ABANDONED
    assert refused.value.verification.requested_amount == PRICE
    assert isinstance(refused.value, PaymentRequestRejected)
    assert refused.value.code == "duplicate_reference"
    assert kit.transactions() == 1


async def test_a_reused_reference_of_a_paid_transaction_says_it_was_paid(kit: Kit) -> None:
    request = checkout()
    await kit.gateway.initialize(request)
    kit.pay(request.reference)

    with pytest.raises(DuplicatePaymentReference) as refused:
        await kit.gateway.initialize(request)

    assert refused.value.status is TransactionStatus.SUCCESS


async def test_a_split_checkout_goes_to_an_artists_subaccount(kit: Kit) -> None:
    subaccount = await kit.gateway.create_subaccount(
        business_name="Ada's Studio", bank_code="058", account_number="0123456047", commission_percent=15
    )

    session = await kit.gateway.initialize(
        checkout(subaccount=subaccount.code, transaction_charge=PRICE.percentage(15).amount)
    )

    assert session.authorization_url


async def test_references_with_forbidden_characters_never_reach_the_gateway(kit: Kit) -> None:
    with pytest.raises(InvalidPaymentReference):
        checkout(reference="order/42")
    with pytest.raises(InvalidPaymentReference):
        await kit.gateway.verify("../refund")
    with pytest.raises(InvalidPaymentReference):
        await kit.gateway.verify("")
    with pytest.raises(InvalidPaymentReference):
        await kit.gateway.refund("a b", reason="typo")
    assert kit.transactions() == 0


# --- verify -------------------------------------------------------------------------------


async def test_an_unpaid_checkout_does_not_verify_as_success(kit: Kit) -> None:
    reference = await opened(kit)

    verification = await kit.gateway.verify(reference)

    assert verification.reference == reference
    assert verification.status is TransactionStatus.ABANDONED
    assert verification.paid_at is None
    assert verification.requested_amount == PRICE


async def test_a_paid_checkout_verifies_as_success_with_exact_amount_currency_and_time(kit: Kit) -> None:
    reference = await opened(kit)
    paid_at = datetime(2026, 11, 26, 9, 15, 2, 250_000, tzinfo=UTC)
    kit.pay(reference, paid_at=paid_at)

    verification = await kit.gateway.verify(reference)

    assert verification.status is TransactionStatus.SUCCESS
    assert verification.amount == PRICE
    assert verification.requested_amount == PRICE
    assert verification.paid_at == paid_at
    assert isinstance(verification.transaction_id, int)
    assert verification.gateway_response
    assert verification.metadata == {"order_id": "0190f3c2-7b1e-7000-8000-000000000001"}


async def test_a_declined_payment_verifies_as_failed(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference, outcome="failed")

    verification = await kit.gateway.verify(reference)

    assert verification.status is TransactionStatus.FAILED
    assert verification.paid_at is None


async def test_a_payment_for_another_amount_or_currency_shows_as_such(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference, amount=Money.of(2_500_000, "GHS"))

    verification = await kit.gateway.verify(reference)

    assert verification.status is TransactionStatus.SUCCESS
    assert verification.amount == Money.of(2_500_000, "GHS")
    assert verification.requested_amount == Money.of(2_500_000, "GHS")


async def test_fees_passed_on_to_the_customer_show_as_requested_below_charged(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference, amount=Money.of(2_537_600, "NGN"), requested=PRICE)

    verification = await kit.gateway.verify(reference)

    assert verification.requested_amount == PRICE
    assert verification.amount == Money.of(2_537_600, "NGN")


async def test_an_unknown_reference_verifies_as_unknown(kit: Kit) -> None:
    verification = await kit.gateway.verify(new_reference())

    assert verification.status is TransactionStatus.UNKNOWN
    assert verification.amount is None
    assert verification.paid_at is None


# --- webhooks -----------------------------------------------------------------------------


async def test_a_signed_charge_success_authenticates_with_a_key_for_the_transaction(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)
    transaction_id = (await kit.gateway.verify(reference)).transaction_id
    body, signature = kit.charge_success_webhook(reference)

    event = kit.gateway.authenticate_webhook(body, signature)

    assert event.event == "charge.success"
    assert event.reference == reference
    assert event.key == f"charge.success:{transaction_id}"
    data = event.payload["data"]
    assert isinstance(data, dict)
    assert data["amount"] == PRICE.amount
    assert data["authorization"]["authorization_code"] == REDACTED
    # A redelivery is the same event: same key.
    assert kit.gateway.authenticate_webhook(body, signature).key == event.key


@pytest.mark.parametrize(
    ("body", "signature", "key", "reference"),
    [
        (VECTOR_A, VECTOR_A_SIGNATURE, "charge.success:302961", "qTPrJoy9Bx"),
        (VECTOR_B, VECTOR_B_SIGNATURE, "charge.success:3104021987", "zuz8ggd1ro"),
        (VECTOR_D, VECTOR_D_SIGNATURE, "charge.success:302961", "qTPrJoy9Bx"),
    ],
    ids=["A-docs-sample", "B-modern-sample", "D-tiny"],
)
async def test_paystacks_documented_events_authenticate(
    kit: Kit, body: bytes, signature: str, key: str, reference: str
) -> None:
    event = kit.gateway.authenticate_webhook(body, signature)

    assert (event.key, event.reference, event.event) == (key, reference, "charge.success")


async def test_the_same_event_reserialised_fails_the_signature(kit: Kit) -> None:
    assert hashlib.sha256(VECTOR_A).hexdigest() == VECTOR_A_SHA256
    reserialised = json.dumps(json.loads(VECTOR_A)).encode()
    assert sign(reserialised, SECRET) == VECTOR_A_PYTHON_DUMPS_SIGNATURE

    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(reserialised, VECTOR_A_SIGNATURE)
    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(
            json.dumps(json.loads(VECTOR_A), indent=2).encode(), VECTOR_A_SIGNATURE
        )


async def test_an_event_key_survives_reserialisation(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)
    body, signature = kit.charge_success_webhook(reference)
    pretty = json.dumps(json.loads(body), indent=2, sort_keys=True).encode()

    assert (
        kit.gateway.authenticate_webhook(*resign(pretty)).key
        == kit.gateway.authenticate_webhook(body, signature).key
    )


async def test_a_flipped_byte_fails_the_signature(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)
    body, signature = kit.charge_success_webhook(reference)
    index = body.index(str(PRICE.amount).encode())
    tampered = body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]

    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(tampered, signature)


async def test_a_signature_made_with_another_key_fails(kit: Kit) -> None:
    assert sign(VECTOR_A, OTHER_KEY) == VECTOR_A_OTHER_KEY_SIGNATURE

    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(VECTOR_A, VECTOR_A_OTHER_KEY_SIGNATURE)


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "   ",
        VECTOR_A_SIGNATURE[:-2],
        VECTOR_A_SIGNATURE + "00",
        "zz" * 64,
        "é" * 128,
        "sha512=" + "0" * 128,
    ],
)
async def test_a_missing_or_garbled_signature_fails(kit: Kit, signature: str | None) -> None:
    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(VECTOR_A, signature)


async def test_hex_case_and_surrounding_space_do_not_matter(kit: Kit) -> None:
    event = kit.gateway.authenticate_webhook(VECTOR_A, f" {VECTOR_A_SIGNATURE.upper()}\n")

    assert event.reference == "qTPrJoy9Bx"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"",
        b"\xff\xfe",
        b"[1, 2]",
        b'"charge.success"',
        b'{"event":"charge.success"}',
        b'{"data":{}}',
    ],
    ids=["text", "empty", "not-utf8", "array", "string", "no-data", "no-event"],
)
async def test_an_authentic_body_that_is_not_an_event_is_malformed(kit: Kit, body: bytes) -> None:
    with pytest.raises(MalformedWebhook):
        kit.gateway.authenticate_webhook(*resign(body))


async def test_a_badly_signed_malformed_body_is_a_signature_failure_first(kit: Kit) -> None:
    with pytest.raises(InvalidWebhookSignature):
        kit.gateway.authenticate_webhook(b"not json", sign(b"not json", OTHER_KEY))


async def test_an_unknown_event_is_authenticated_with_a_stable_key(kit: Kit) -> None:
    document = {
        "event": "subscription.create",
        "data": {"subscription_code": "SUB_vsyqdmlzble3uii", "amount": 50000},
    }
    compact = json.dumps(document, separators=(",", ":")).encode()
    spaced = json.dumps(document, indent=4).encode()

    first = kit.gateway.authenticate_webhook(*resign(compact))
    again = kit.gateway.authenticate_webhook(*resign(spaced))

    assert first.event == "subscription.create"
    assert first.reference is None
    assert first.key == again.key
    assert first.key.startswith("subscription.create:")


# --- refunds ------------------------------------------------------------------------------


async def test_a_paid_transaction_can_be_refunded_in_full(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)

    refund = await kit.gateway.refund(reference, reason="artwork sold to someone else")

    assert refund.reference == reference
    assert refund.amount == PRICE
    assert refund.status is ProviderRefundStatus.PENDING
    assert refund.refund_id


async def test_a_paid_transaction_can_be_refunded_in_part_but_not_beyond(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)

    first = await kit.gateway.refund(reference, amount=Money.of(1_000_000, "NGN"), reason="damaged frame")

    assert first.amount == Money.of(1_000_000, "NGN")
    with pytest.raises(PaymentRequestRejected):
        await kit.gateway.refund(reference, amount=Money.of(1_500_001, "NGN"), reason="too much")


async def test_an_unpaid_or_unknown_transaction_cannot_be_refunded(kit: Kit) -> None:
    reference = await opened(kit)

    with pytest.raises(PaymentRequestRejected):
        await kit.gateway.refund(reference, reason="never paid")
    with pytest.raises(PaymentRequestRejected):
        await kit.gateway.refund(new_reference(), reason="unknown")


async def test_refund_events_name_the_transaction_and_have_one_key_per_state(kit: Kit) -> None:
    reference = await opened(kit)
    kit.pay(reference)
    refund = await kit.gateway.refund(reference, reason="late payment")

    pending = kit.gateway.authenticate_webhook(*kit.refund_webhook(refund.refund_id, "pending"))
    processed = kit.gateway.authenticate_webhook(*kit.refund_webhook(refund.refund_id, "processed"))

    assert (pending.event, processed.event) == ("refund.pending", "refund.processed")
    assert pending.reference == processed.reference == reference
    assert processed.key == f"refund.processed:{reference}:{PRICE.amount}"
    assert pending.key != processed.key


async def test_the_refunds_of_a_transaction_are_what_the_provider_reports_now(kit: Kit) -> None:
    reference, other = await opened(kit), await opened(kit)
    kit.pay(reference)
    kit.pay(other)
    assert list(await kit.gateway.refunds_of(reference)) == []
    assert list(await kit.gateway.refunds_of(new_reference())) == []

    refund = await kit.gateway.refund(reference, reason="damaged in transit")
    await kit.gateway.refund(other, reason="another order")
    (reported,) = await kit.gateway.refunds_of(reference)
    assert (reported.refund_id, reported.reference) == (refund.refund_id, reference)
    assert (reported.status, reported.amount) == (ProviderRefundStatus.PENDING, PRICE)

    kit.refund_webhook(refund.refund_id, "processed")
    kit.refund_webhook(refund.refund_id, "pending")  # a late event does not move the provider back
    assert [r.status for r in await kit.gateway.refunds_of(reference)] == [ProviderRefundStatus.PROCESSED]


# --- subaccounts --------------------------------------------------------------------------


async def test_a_subaccount_is_created_with_the_platforms_commission(kit: Kit) -> None:
    subaccount = await kit.gateway.create_subaccount(
        business_name="Ada's Studio", bank_code="058", account_number="0123456047", commission_percent=15
    )

    assert subaccount.code.startswith("ACCT_")
    assert subaccount.commission_percent == 15


async def test_a_subaccount_needs_a_real_looking_account_number(kit: Kit) -> None:
    with pytest.raises(PaymentRequestRejected):
        await kit.gateway.create_subaccount(
            business_name="Ada's Studio", bank_code="058", account_number="123", commission_percent=15
        )


@pytest.mark.parametrize("percent", [-1, 101])
async def test_a_commission_outside_0_to_100_percent_is_invalid(kit: Kit, percent: int) -> None:
    with pytest.raises(InvalidValue):
        await kit.gateway.create_subaccount(
            business_name="Ada's Studio",
            bank_code="058",
            account_number="0123456047",
            commission_percent=percent,
        )


# --- the port's own rules -----------------------------------------------------------------


@given(st.from_regex(r"[A-Za-z0-9.=-]{1,100}", fullmatch=True).filter(lambda text: text.strip(".") != ""))
def test_references_of_allowed_characters_are_accepted(reference: str) -> None:
    assert check_reference(reference) == reference


@given(st.text(min_size=1, max_size=100).filter(lambda text: re.search(r"[^A-Za-z0-9.=-]", text) is not None))
def test_references_with_any_other_character_are_refused(reference: str) -> None:
    with pytest.raises(InvalidPaymentReference):
        check_reference(reference)


@pytest.mark.parametrize("reference", ["", "a" * 101, "ref\n", "réf", "am_1", ".", "..", "..."])
def test_empty_overlong_non_ascii_and_dot_only_references_are_refused(reference: str) -> None:
    with pytest.raises(InvalidPaymentReference):
        check_reference(reference)


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": Money.of(0, "NGN")},
        {"transaction_charge": 100},
        {"subaccount": "ACCT_x", "transaction_charge": PRICE.amount + 1},
        {"subaccount": "ACCT_x", "transaction_charge": -1},
    ],
    ids=["zero-amount", "charge-without-subaccount", "charge-above-amount", "negative-charge"],
)
def test_a_checkout_request_refuses_impossible_values(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidCheckoutRequest):
        checkout(**fields)


# --- the fake's helpers (sandbox and unit tests rely on them) -----------------------------


async def test_the_fakes_checkout_link_is_the_sandbox_page() -> None:
    fake = SandboxPaymentGateway(SECRET, checkout_base_url="http://localhost:8000/")
    request = checkout()

    session = await fake.initialize(request)

    assert session.authorization_url == f"http://localhost:8000/sandbox/paystack/checkout/{request.reference}"
    assert fake.checkout_request(request.reference) == request
    assert fake.initialized == [request]


async def test_the_sandbox_with_a_state_file_remembers_across_restarts_and_links_to_the_new_base(
    tmp_path: Path,
) -> None:
    state = tmp_path / "sandbox" / "paystack.json"
    before = SandboxPaymentGateway(SECRET, checkout_base_url="http://127.0.0.1:8101", state_file=state)
    paid, refunded = checkout(), checkout()
    issued = (await before.initialize(paid)).authorization_url
    await before.initialize(refunded)
    before.complete(paid.reference)
    before.complete(refunded.reference)
    refund = await before.refund(refunded.reference, reason="late")
    before.refund_webhook_for(refund.refund_id, ProviderRefundStatus.PROCESSED)

    after = SandboxPaymentGateway(SECRET, checkout_base_url="http://127.0.0.1:8102", state_file=state)

    assert after.checkout_request(paid.reference) == paid
    assert await after.verify(paid.reference) == await before.verify(paid.reference)
    assert (await after.verify(refunded.reference)).status is TransactionStatus.REVERSED
    assert after.refunds == before.refunds
    assert issued.startswith("http://127.0.0.1:8101/")
    assert after.checkout_url(paid.reference, issued) == (
        f"http://127.0.0.1:8102/sandbox/paystack/checkout/{paid.reference}"
    )
    assert after.checkout_url(paid.reference, None) is None


async def test_paystacks_checkout_link_is_the_one_it_issued() -> None:
    gateway = PaystackGateway(SECRET, base_url="http://paystack.invalid")
    try:
        assert gateway.checkout_url("ref-1", "https://checkout.paystack.com/abc") == (
            "https://checkout.paystack.com/abc"
        )
    finally:
        await gateway.aclose()


async def test_the_fake_sends_charge_success_only_for_paid_transactions() -> None:
    fake = SandboxPaymentGateway(SECRET, checkout_base_url="http://artmarket.test")
    request = checkout()
    await fake.initialize(request)

    with pytest.raises(ValueError, match="only for a paid transaction"):
        fake.webhook_for(request.reference)


async def test_the_fake_reverses_a_transaction_once_its_full_refund_is_processed() -> None:
    fake = SandboxPaymentGateway(SECRET, checkout_base_url="http://artmarket.test")
    request = checkout()
    await fake.initialize(request)
    fake.complete(request.reference)
    refund = await fake.refund(request.reference, reason="late")

    fake.refund_webhook_for(refund.refund_id, ProviderRefundStatus.PROCESSED)

    assert fake.refunds[0].status is ProviderRefundStatus.PROCESSED
    assert (await fake.verify(request.reference)).status is TransactionStatus.REVERSED
