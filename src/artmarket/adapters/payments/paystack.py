"""Paystack over httpx: the production `PaymentGateway`.

Retries, with exponential backoff and jitter, only where repeating is safe: verify (a
GET), and initialize, whose reference makes a repeat harmless: if the first attempt did
reach Paystack, the repeat is answered "Duplicate Transaction Reference" and the adapter
verifies the reference instead of opening a second transaction. Refunds and subaccounts
are sent once; a lost answer there raises `PaymentOutcomeUnknown`. 429 is never retried
here (the caller waits `retry_after`). The secret key goes only into the Authorization
header: never into logs, reprs or error messages.

Paystack's JSON is read by `paystack_shapes` and its answers classified by `paystack_answers`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
from collections.abc import Mapping
from types import TracebackType
from typing import Final, Self, cast
from urllib.parse import quote, urlencode

import httpx

from artmarket.adapters.payments.paystack_answers import (
    Answer,
    answer_of,
    failure,
    is_duplicate,
    is_not_found,
    lost,
)
from artmarket.adapters.payments.paystack_shapes import (
    check_commission_percent,
    is_refund_of,
    parse_amount,
    parse_refund,
    parse_transaction,
)
from artmarket.adapters.payments.signing import authenticate_webhook
from artmarket.application.payments.ports import (
    CheckoutRequest,
    CheckoutSession,
    DuplicatePaymentReference,
    PaymentGatewayError,
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
    PaymentOutcomeUnknown,
    PaymentVerification,
    RefundResult,
    Subaccount,
    TransactionStatus,
    WebhookEvent,
    check_reference,
)
from artmarket.domain.money import InvalidMoney, Money

DEFAULT_BASE_URL: Final = "https://api.paystack.co"
SECRET_KEY_ENV: Final = "ARTMARKET_PAYSTACK_SECRET_KEY"  # noqa: S105 - the variable's name
BASE_URL_ENV: Final = "ARTMARKET_PAYSTACK_BASE_URL"

#: Transactions in these states can still be paid through their checkout page.
_OPEN_STATES: Final = frozenset(
    {TransactionStatus.ABANDONED, TransactionStatus.ONGOING, TransactionStatus.PENDING}
)
#: Refund listing: Paystack's largest documented page, and how many pages one check reads.
_REFUNDS_PER_PAGE: Final = 100
_MAX_REFUND_PAGES: Final = 20

log = logging.getLogger(__name__)


class PaystackGateway:
    """`PaymentGateway` over Paystack's REST API (https://api.paystack.co by default)."""

    provider = "paystack"

    def __init__(
        self,
        secret_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        if not secret_key or not secret_key.strip():
            raise PaymentGatewayMisconfigured("The Paystack secret key is missing.")
        self._secret_key = secret_key.strip()
        self._headers = {"Authorization": f"Bearer {self._secret_key}", "Accept": "application/json"}
        self._base_url = base_url.rstrip("/")
        # Connecting should be quick; reading may legitimately take longer.
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._max_retries = max(0, max_retries)
        self._backoff = max(0.0, backoff)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(timeout=self._timeout)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        backoff: float = 0.5,
    ) -> PaystackGateway:
        """From ARTMARKET_PAYSTACK_SECRET_KEY and ARTMARKET_PAYSTACK_BASE_URL (default Paystack's)."""
        env = os.environ if environ is None else environ
        secret_key = env.get(SECRET_KEY_ENV, "").strip()
        if not secret_key:
            raise PaymentGatewayMisconfigured(f"{SECRET_KEY_ENV} is not set.")
        base_url = env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
        return cls(secret_key, base_url=base_url, timeout=timeout, max_retries=max_retries, backoff=backoff)

    def __repr__(self) -> str:
        return f"PaystackGateway(base_url={self._base_url!r})"

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # --- the port ---------------------------------------------------------------------

    async def initialize(self, request: CheckoutRequest) -> CheckoutSession:
        body: dict[str, object] = {
            "email": request.email,
            "amount": request.amount.amount,
            "currency": request.amount.currency.code,
            "reference": request.reference,
            "callback_url": request.callback_url,
            "metadata": dict(request.metadata),
        }
        if request.subaccount is not None:
            body["subaccount"] = request.subaccount
            if request.transaction_charge is not None:
                body["transaction_charge"] = request.transaction_charge
        # Safe to repeat: the reference makes a second attempt a duplicate, never a second charge.
        answer = await self._exchange("POST", "/transaction/initialize", body, idempotent=True)
        if is_duplicate(answer):
            return await self._existing_session(request)
        data = self._data(answer)
        url, access_code = data.get("authorization_url"), data.get("access_code")
        reference = data.get("reference", request.reference)
        if not isinstance(url, str) or not url or not isinstance(access_code, str):
            raise PaymentGatewayError("Paystack's answer had no checkout link.")
        if reference != request.reference:
            raise PaymentGatewayError("Paystack answered for another reference.")
        return CheckoutSession(request.reference, url, access_code)

    def checkout_url(self, reference: str, issued: str | None) -> str | None:
        """Paystack's hosted page does not move: the link it issued."""
        return issued

    async def verify(self, reference: str) -> PaymentVerification:
        check_reference(reference)
        path = f"/transaction/verify/{quote(reference, safe='')}"
        answer = await self._exchange("GET", path, None, idempotent=True)
        if is_not_found(answer):
            return PaymentVerification.unknown(reference)
        return parse_transaction(self._data(answer), reference)

    async def refund(self, reference: str, *, amount: Money | None = None, reason: str) -> RefundResult:
        check_reference(reference)
        body: dict[str, object] = {"transaction": reference, "merchant_note": reason}
        if amount is not None:
            body["amount"] = amount.amount
            body["currency"] = amount.currency.code
        answer = await self._exchange("POST", "/refund", body, idempotent=False)
        data = self._data(answer)
        try:
            return parse_refund(data, reference, amount)
        except (ValueError, InvalidMoney):
            raise PaymentOutcomeUnknown(
                "Paystack took the refund but its answer was not understood."
            ) from None

    async def refunds_of(self, reference: str) -> list[RefundResult]:
        """Paystack's list of refunds (`GET /refund`: newest first, paged), kept where
        `transaction` is this transaction's id; a refund being checked is recent, so the first
        page finds it, and at most `_MAX_REFUND_PAGES` are read."""
        transaction = await self.verify(reference)
        if transaction.transaction_id is None:
            return []
        found: list[RefundResult] = []
        for page in range(1, _MAX_REFUND_PAGES + 1):
            query = urlencode({"perPage": _REFUNDS_PER_PAGE, "page": page})
            listed, last_page = self._listing(
                await self._exchange("GET", f"/refund?{query}", None, idempotent=True)
            )
            for entry in listed:
                if is_refund_of(entry, transaction.transaction_id, reference):
                    try:
                        found.append(parse_refund(entry, reference, None))
                    except (ValueError, InvalidMoney):
                        log.warning("Paystack listed a refund of %s that could not be read", reference)
            if page >= last_page or len(listed) < _REFUNDS_PER_PAGE:
                break
        # Oldest first, like every other list the port answers.
        return found[::-1]

    def authenticate_webhook(self, raw_body: bytes, signature: str | None) -> WebhookEvent:
        return authenticate_webhook(raw_body, signature, self._secret_key)

    async def create_subaccount(
        self, *, business_name: str, bank_code: str, account_number: str, commission_percent: int
    ) -> Subaccount:
        check_commission_percent(commission_percent)
        body: dict[str, object] = {
            "business_name": business_name,
            "settlement_bank": bank_code,
            "account_number": account_number,
            # Paystack: "The percentage the main account receives from each payment".
            "percentage_charge": commission_percent,
        }
        answer = await self._exchange("POST", "/subaccount", body, idempotent=False)
        data = self._data(answer)
        code = data.get("subaccount_code")
        if not isinstance(code, str) or not code:
            raise PaymentOutcomeUnknown("Paystack created the subaccount but its answer had no code.")
        charged = data.get("percentage_charge")
        percent = commission_percent
        if isinstance(charged, int | float) and not isinstance(charged, bool) and float(charged).is_integer():
            percent = int(charged)
        return Subaccount(code=code, commission_percent=percent)

    # --- plumbing ---------------------------------------------------------------------

    async def _existing_session(self, request: CheckoutRequest) -> CheckoutSession:
        """A duplicate reference: the transaction exists (perhaps from our own lost attempt)."""
        verification = await self.verify(request.reference)
        url, access_code = verification.raw.get("authorization_url"), verification.raw.get("access_code")
        log.warning(
            "Paystack already has a transaction with reference %s (status %s)",
            request.reference,
            verification.status.value,
        )
        # Paystack's verify carries no checkout link; use one only if it ever does.
        if (
            verification.status in _OPEN_STATES
            and verification.requested_amount == request.amount
            and isinstance(url, str)
            and url
            and isinstance(access_code, str)
            and access_code
        ):
            return CheckoutSession(request.reference, url, access_code)
        raise DuplicatePaymentReference(request.reference, verification)

    async def _exchange(
        self, method: str, path: str, body: Mapping[str, object] | None, *, idempotent: bool
    ) -> Answer:
        """One call, repeated on transient failures when `idempotent`; 429 and 4xx come back at once."""
        attempts = 1 + (self._max_retries if idempotent else 0)
        url = self._base_url + path
        for attempt in range(1, attempts + 1):
            failure: PaymentGatewayError
            cause: BaseException | None = None
            try:
                response = await self._client.request(
                    method, url, json=body, headers=self._headers, timeout=self._timeout
                )
            except (httpx.UnsupportedProtocol, httpx.InvalidURL):
                raise PaymentGatewayMisconfigured("The Paystack base URL is not a valid URL.") from None
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Nothing was sent: safe to try again later whatever the call.
                failure, cause = (
                    PaymentGatewayUnavailable("Paystack could not be reached; try again later."),
                    exc,
                )
            except httpx.TimeoutException as exc:
                failure, cause = lost("Paystack did not answer in time", idempotent), exc
            except httpx.HTTPError as exc:
                failure, cause = lost("The connection to Paystack failed", idempotent), exc
            else:
                answer = answer_of(response)
                if answer.status_code == 429:
                    raise PaymentGatewayUnavailable(
                        "Paystack is rate-limiting the platform; try again later.",
                        retry_after=answer.retry_after,
                    )
                if answer.status_code < 500:
                    return answer
                what = f"Paystack answered HTTP {answer.status_code}"
                failure = lost(what, idempotent, answer.retry_after)
            if attempt == attempts:
                raise failure from cause
            delay = self._backoff * 2 ** (attempt - 1)
            delay = delay / 2 + random.uniform(0, delay / 2)  # equal jitter: callers do not retry in step
            log.warning(
                "Paystack %s %s failed (%s); attempt %d of %d in %.2fs",
                method,
                path,
                failure.message,
                attempt + 1,
                attempts,
                delay,
            )
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _listing(self, answer: Answer) -> tuple[list[Mapping[str, object]], int]:
        """The entries of a successful list answer and its page count (`meta.pageCount`, else 1)."""
        body = answer.body
        if 200 <= answer.status_code < 300 and body is not None and body.get("status") in (True, "true"):
            data, meta = body.get("data"), body.get("meta")
            if not isinstance(data, list):
                raise PaymentGatewayError("Paystack's list had no data.")
            pages = parse_amount(meta.get("pageCount")) if isinstance(meta, dict) else None
            return [cast("dict[str, object]", e) for e in data if isinstance(e, dict)], pages or 1
        raise failure(answer)

    def _data(self, answer: Answer) -> Mapping[str, object]:
        """`data` of a successful answer; otherwise the typed error the answer means."""
        body = answer.body
        if 200 <= answer.status_code < 300 and body is not None and body.get("status") in (True, "true"):
            data = body.get("data")
            if isinstance(data, dict):
                return cast("dict[str, object]", data)
            raise PaymentGatewayError("Paystack's answer had no data.")
        raise failure(answer)
