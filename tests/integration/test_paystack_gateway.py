"""The Paystack adapter against the local Paystack stand-in: retries, faults, errors, quirks.

Retries happen only where repeating is safe (verify; initialize, whose reference makes a
repeat a duplicate rather than a second charge). Refunds and subaccounts are sent once.
The client timeout is 0.5 s and backoff 0.01 s (`paystack_gateway` fixture).
"""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import pytest
from tests.support.paystack_standin import DUPLICATE_REFERENCE_BODY, PaystackStandIn

from artmarket.adapters.payments.paystack import PaystackGateway
from artmarket.application.payments.ports import (
    CheckoutRequest,
    DuplicatePaymentReference,
    PaymentGatewayError,
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
    PaymentOutcomeUnknown,
    PaymentRequestRejected,
    TransactionStatus,
)
from artmarket.domain.money import Money

PRICE = Money.of(2_500_000, "NGN")
VERIFY = "/transaction/verify/"
INITIALIZE = "/transaction/initialize"
WRONG_KEY = "sk_test_wrong_key_that_must_never_leak_0001"


def checkout(**fields: object) -> CheckoutRequest:
    values: dict[str, object] = {
        "reference": f"am-{uuid4().hex}",
        "email": "ada@example.com",
        "amount": PRICE,
        "callback_url": "http://artmarket.test/api/v1/payments/paystack/callback",
        "metadata": {"order_id": "0190f3c2-7b1e-7000-8000-000000000001"},
    }
    values.update(fields)
    return CheckoutRequest(**values)  # type: ignore[arg-type]


async def opened(gateway: PaystackGateway) -> str:
    request = checkout()
    await gateway.initialize(request)
    return request.reference


@pytest.fixture
async def wrong_key_gateway(paystack_standin: PaystackStandIn) -> AsyncIterator[PaystackGateway]:
    gateway = PaystackGateway(WRONG_KEY, base_url=paystack_standin.base_url, timeout=0.5, backoff=0.01)
    yield gateway
    await gateway.aclose()


# --- retries where safe -------------------------------------------------------------------


async def test_verify_is_retried_after_a_502(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.fail_next(VERIFY, 502)

    verification = await paystack_gateway.verify(reference)

    assert verification.status is TransactionStatus.ABANDONED
    assert paystack_standin.count(VERIFY) == 2


async def test_verify_is_retried_after_a_timeout(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference)
    paystack_standin.timeout_next(VERIFY)

    verification = await paystack_gateway.verify(reference)

    assert verification.status is TransactionStatus.SUCCESS
    assert paystack_standin.count(VERIFY) == 2


async def test_verify_gives_up_after_its_retries(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.fail_next(VERIFY, 503, times=10)

    with pytest.raises(PaymentGatewayUnavailable):
        await paystack_gateway.verify(reference)

    assert paystack_standin.count(VERIFY) == 3  # one call and max_retries=2


async def test_a_slow_answer_within_the_timeout_is_waited_for_not_retried(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.delay_next(VERIFY, 0.1)

    await paystack_gateway.verify(reference)

    assert paystack_standin.count(VERIFY) == 1


async def test_an_unreachable_paystack_is_unavailable() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gateway = PaystackGateway("sk_test_x", base_url=f"http://127.0.0.1:{port}", timeout=0.5, backoff=0.01)
    try:
        with pytest.raises(PaymentGatewayUnavailable) as failure:
            await gateway.verify("am-1")
        with pytest.raises(PaymentGatewayUnavailable) as refund_failure:
            await gateway.refund("am-1", reason="x")
    finally:
        await gateway.aclose()
    assert not isinstance(failure.value, PaymentOutcomeUnknown)
    # Nothing was sent, so a refund that could not connect is known not to have happened.
    assert not isinstance(refund_failure.value, PaymentOutcomeUnknown)


async def test_initialize_is_retried_after_a_timeout_with_the_same_reference(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    request = checkout()
    paystack_standin.timeout_next(INITIALIZE, processed=False)

    session = await paystack_gateway.initialize(request)

    assert session.reference == request.reference
    assert paystack_standin.count(INITIALIZE) == 2
    assert list(paystack_standin.transactions) == [request.reference]


async def test_initialize_whose_answer_was_lost_is_verified_never_opened_twice(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    request = checkout()
    paystack_standin.timeout_next(INITIALIZE, processed=True)

    with pytest.raises(DuplicatePaymentReference) as duplicate:
        await paystack_gateway.initialize(request)

    # The first attempt opened the transaction; its checkout link is lost for good
    # (Paystack's verify does not give it), so the adapter says so instead of inventing one.
    assert duplicate.value.status is TransactionStatus.ABANDONED
    assert duplicate.value.verification.requested_amount == PRICE
    assert paystack_standin.count(INITIALIZE) == 2
    assert paystack_standin.count(VERIFY) == 1
    assert list(paystack_standin.transactions) == [request.reference]


async def test_initialize_is_retried_after_a_5xx(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    request = checkout()
    paystack_standin.fail_next(INITIALIZE, 503)

    await paystack_gateway.initialize(request)

    assert paystack_standin.count(INITIALIZE) == 2
    assert len(paystack_standin.transactions) == 1


# --- never repeated -----------------------------------------------------------------------


async def test_a_refund_is_not_retried_after_a_5xx(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference)
    paystack_standin.fail_next("/refund", 502)

    with pytest.raises(PaymentOutcomeUnknown):
        await paystack_gateway.refund(reference, reason="late payment")

    assert paystack_standin.count("/refund") == 1


async def test_a_refund_whose_answer_was_lost_is_not_retried(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference)
    paystack_standin.timeout_next("/refund", processed=True)

    with pytest.raises(PaymentOutcomeUnknown):
        await paystack_gateway.refund(reference, reason="late payment")

    assert paystack_standin.count("/refund") == 1
    assert len(paystack_standin.refunds) == 1  # it did happen: exactly once


async def test_subaccount_creation_is_not_retried_after_a_5xx(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.fail_next("/subaccount", 500)

    with pytest.raises(PaymentOutcomeUnknown):
        await paystack_gateway.create_subaccount(
            business_name="Ada's Studio", bank_code="058", account_number="0123456047", commission_percent=15
        )

    assert paystack_standin.count("/subaccount") == 1


# --- typed errors -------------------------------------------------------------------------


async def test_a_wrong_key_is_a_misconfiguration_and_is_not_retried(
    paystack_standin: PaystackStandIn, wrong_key_gateway: PaystackGateway
) -> None:
    with pytest.raises(PaymentGatewayMisconfigured):
        await wrong_key_gateway.verify("am-1")
    with pytest.raises(PaymentGatewayMisconfigured):
        await wrong_key_gateway.initialize(checkout())

    assert paystack_standin.count(VERIFY) == 1
    assert paystack_standin.count(INITIALIZE) == 1


async def test_invalid_key_answered_with_400_is_a_misconfiguration_too(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.fail_next(VERIFY, 400, {"status": False, "message": "Invalid key"})

    with pytest.raises(PaymentGatewayMisconfigured):
        await paystack_gateway.verify("am-1")


async def test_429_is_unavailable_with_retry_after_and_not_retried(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.rate_limit_next(VERIFY, retry_after=7)

    with pytest.raises(PaymentGatewayUnavailable) as limited:
        await paystack_gateway.verify("am-1")

    assert limited.value.retry_after == 7
    assert paystack_standin.count(VERIFY) == 1


async def test_a_refusal_keeps_paystacks_message_and_code(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.fail_next(
        INITIALIZE,
        400,
        {
            "status": False,
            "message": "Currency not supported by merchant",
            "type": "validation_error",
            "code": "x",
        },
    )

    with pytest.raises(PaymentRequestRejected) as refused:
        await paystack_gateway.initialize(checkout())

    assert refused.value.provider_message == "Currency not supported by merchant"
    assert refused.value.code == "x"
    assert refused.value.http_status == 400
    assert paystack_standin.count(INITIALIZE) == 1


async def test_an_unknown_reference_answered_with_404_is_unknown_too(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.not_found_status = 404

    verification = await paystack_gateway.verify("am-never-opened")

    assert verification.status is TransactionStatus.UNKNOWN


async def test_a_404_that_is_not_paystacks_is_not_taken_for_an_unknown_reference(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.fail_next(VERIFY, 404, b"<html>Not Found</html>")

    with pytest.raises(PaymentGatewayError) as failure:
        await paystack_gateway.verify("am-1")

    assert not isinstance(failure.value, PaymentGatewayUnavailable | PaymentRequestRejected)


async def test_an_unreadable_success_answer_is_an_error(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    paystack_standin.fail_next(VERIFY, 200, b"{not json")

    with pytest.raises(PaymentGatewayError):
        await paystack_gateway.verify("am-1")


# --- what is sent and what is read --------------------------------------------------------


async def test_initialize_sends_amount_in_subunits_and_the_split(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    subaccount = await paystack_gateway.create_subaccount(
        business_name="Ada's Studio", bank_code="058", account_number="0123456047", commission_percent=15
    )
    request = checkout(subaccount=subaccount.code, transaction_charge=375_000)

    await paystack_gateway.initialize(request)

    sent = paystack_standin.transactions[request.reference]
    assert (sent["amount"], sent["currency"]) == (2_500_000, "NGN")
    assert sent["subaccount"] == {"subaccount_code": subaccount.code}
    assert sent["_transaction_charge"] == 375_000
    assert sent["_callback_url"] == request.callback_url
    assert sent["metadata"] == {"order_id": "0190f3c2-7b1e-7000-8000-000000000001"}
    assert paystack_standin.subaccounts[0]["percentage_charge"] == 15


async def test_fees_passed_on_make_amount_exceed_requested_amount(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference, amount=2_537_600, requested_amount=2_500_000)

    verification = await paystack_gateway.verify(reference)

    assert verification.requested_amount == PRICE
    assert verification.amount == Money.of(2_537_600, "NGN")
    assert verification.raw["fees"] == 37_600


async def test_without_requested_amount_the_charged_amount_stands_for_it(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference)
    del paystack_standin.transactions[reference]["requested_amount"]

    verification = await paystack_gateway.verify(reference)

    assert verification.requested_amount == verification.amount == PRICE


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ("", {}),
        (0, {}),
        (None, {}),
        ({"order_id": "o-1"}, {"order_id": "o-1"}),
        ('{"order_id":"o-1"}', {"order_id": "o-1"}),
        ("not json", {}),
    ],
)
async def test_metadata_in_any_of_paystacks_shapes_is_read(
    paystack_standin: PaystackStandIn,
    paystack_gateway: PaystackGateway,
    metadata: object,
    expected: dict[str, str],
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference, extra={"metadata": metadata})

    verification = await paystack_gateway.verify(reference)

    assert verification.metadata == expected
    assert verification.status is TransactionStatus.SUCCESS


async def test_camel_case_time_and_string_amounts_are_read(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(
        reference,
        extra={
            "paid_at": None,
            "paidAt": "2024-08-22T09:15:02.000Z",
            "amount": "2500000",
            "requested_amount": None,
        },
    )

    verification = await paystack_gateway.verify(reference)

    assert verification.paid_at == datetime(2024, 8, 22, 9, 15, 2, tzinfo=UTC)
    assert verification.amount == PRICE


async def test_an_undocumented_status_is_never_taken_for_success(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference, status="reversal pending")

    verification = await paystack_gateway.verify(reference)

    assert verification.status is TransactionStatus.PENDING


async def test_card_authorization_codes_are_not_kept(
    paystack_standin: PaystackStandIn, paystack_gateway: PaystackGateway
) -> None:
    reference = await opened(paystack_gateway)
    code = paystack_standin.pay(reference)["authorization"]["authorization_code"]

    verification = await paystack_gateway.verify(reference)

    assert code not in repr(verification.raw)


# --- the secret key stays secret ----------------------------------------------------------


async def test_the_secret_key_appears_in_no_error_repr_or_log(
    paystack_standin: PaystackStandIn,
    paystack_gateway: PaystackGateway,
    wrong_key_gateway: PaystackGateway,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    reference = await opened(paystack_gateway)
    paystack_standin.pay(reference)
    failures: list[BaseException] = []

    async def collect(call: object) -> None:
        try:
            await call  # type: ignore[misc]
        except PaymentGatewayError as exc:
            failures.append(exc)

    await collect(wrong_key_gateway.verify(reference))
    paystack_standin.rate_limit_next(VERIFY)
    await collect(paystack_gateway.verify(reference))
    paystack_standin.fail_next(VERIFY, 502, times=3)
    await collect(paystack_gateway.verify(reference))
    paystack_standin.fail_next("/refund", 500)
    await collect(paystack_gateway.refund(reference, reason="x"))
    await collect(paystack_gateway.refund("am-unknown", reason="x"))
    paystack_standin.timeout_next(INITIALIZE, processed=True)
    await collect(paystack_gateway.initialize(checkout()))

    assert len(failures) == 6
    secrets = (paystack_standin.secret_key, WRONG_KEY)
    for failure in failures:
        told = [str(failure), repr(failure), "".join(traceback.format_exception(failure))]
        for secret in secrets:
            assert all(secret not in text for text in told), failure
    for secret in secrets:
        assert secret not in repr(paystack_gateway) + repr(wrong_key_gateway)
        assert secret not in caplog.text


# --- the stand-in speaks Paystack's documented shapes ---------------------------------------


@pytest.fixture
async def raw_client(paystack_standin: PaystackStandIn) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {paystack_standin.secret_key}"}
    async with httpx.AsyncClient(base_url=paystack_standin.base_url, headers=headers, timeout=2) as client:
        yield client


async def test_the_standin_answers_a_duplicate_reference_with_paystacks_exact_body(
    raw_client: httpx.AsyncClient,
) -> None:
    body = {"email": "ada@example.com", "amount": "20000", "reference": "re4lyvq3s3"}
    first = await raw_client.post(INITIALIZE, json=body)
    again = await raw_client.post(INITIALIZE, json=body)

    assert first.status_code == 200
    assert first.json()["message"] == "Authorization URL created"
    assert set(first.json()["data"]) == {"authorization_url", "access_code", "reference"}
    assert (again.status_code, again.json()) == (400, DUPLICATE_REFERENCE_BODY)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"amount": 20000}, "Email is not allowed to be empty"),
        ({"email": "ada@example.com", "amount": 0}, "You must specify a valid amount"),
        (
            {"email": "ada@example.com", "amount": 100, "reference": "a/b"},
            "Invalid character in transaction reference",
        ),
    ],
)
async def test_the_standin_validates_initialize_like_paystack(
    raw_client: httpx.AsyncClient, body: dict[str, object], message: str
) -> None:
    answer = await raw_client.post(INITIALIZE, json=body)

    assert (answer.status_code, answer.json()) == (400, {"status": False, "message": message})


async def test_the_standin_refuses_a_missing_key_and_unknown_references(
    paystack_standin: PaystackStandIn, raw_client: httpx.AsyncClient
) -> None:
    async with httpx.AsyncClient(base_url=paystack_standin.base_url) as anonymous:
        unauthorised = await anonymous.get(f"{VERIFY}x")
    unknown = await raw_client.get(f"{VERIFY}never-seen")
    empty = await raw_client.get(VERIFY)

    assert (unauthorised.status_code, unauthorised.json()) == (
        401,
        {"status": False, "message": "Invalid key"},
    )
    assert unknown.json() == {"status": False, "message": "Transaction reference not found"}
    assert empty.json() == {"status": False, "message": "Transaction ID should be numeric."}
