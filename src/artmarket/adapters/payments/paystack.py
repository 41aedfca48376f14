"""Paystack over httpx: the production `PaymentGateway`.

Retries, with exponential backoff and jitter, only where repeating is safe: verify (a
GET), and initialize, whose reference makes a repeat harmless: if the first attempt did
reach Paystack, the repeat is answered "Duplicate Transaction Reference" and the adapter
verifies the reference instead of opening a second transaction. Refunds and subaccounts
are sent once; a lost answer there raises `PaymentOutcomeUnknown`. 429 is never retried
here (the caller waits `retry_after`). The secret key goes only into the Authorization
header: never into logs, reprs or error messages.

The parsers below accept Paystack's real shapes, quirks included (metadata as "", 0,
null, an object or a JSON string; amounts as numbers or strings; `paid_at` or
`paidAt`); the fake gateway uses them too, so both report identically.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Final, Self, cast
from urllib.parse import quote, urlencode

import httpx

from artmarket.adapters.payments.signing import authenticate_webhook, redact
from artmarket.application.payments.ports import (
    CheckoutRequest,
    CheckoutSession,
    DuplicatePaymentReference,
    PaymentGatewayError,
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
    PaymentOutcomeUnknown,
    PaymentRequestRejected,
    PaymentVerification,
    ProviderRefundStatus,
    RefundResult,
    Subaccount,
    TransactionStatus,
    WebhookEvent,
    check_reference,
)
from artmarket.application.ports import NeedsAttention
from artmarket.domain.errors import InvalidValue
from artmarket.domain.money import Currency, InvalidMoney, Money

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
_NOT_FOUND_MESSAGES: Final = frozenset(
    {"transaction reference not found", "transaction not found", "entity not found"}
)

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
        if _is_duplicate(answer):
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
        if _is_not_found(answer):
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
                if _refund_of(entry, transaction.transaction_id, reference):
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
    ) -> _Answer:
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
                failure, cause = _lost("Paystack did not answer in time", idempotent), exc
            except httpx.HTTPError as exc:
                failure, cause = _lost("The connection to Paystack failed", idempotent), exc
            else:
                answer = _answer(response)
                if answer.status_code == 429:
                    raise PaymentGatewayUnavailable(
                        "Paystack is rate-limiting the platform; try again later.",
                        retry_after=answer.retry_after,
                    )
                if answer.status_code < 500:
                    return answer
                what = f"Paystack answered HTTP {answer.status_code}"
                failure = _lost(what, idempotent, answer.retry_after)
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

    def _listing(self, answer: _Answer) -> tuple[list[Mapping[str, object]], int]:
        """The entries of a successful list answer and its page count (`meta.pageCount`, else 1)."""
        body = answer.body
        if 200 <= answer.status_code < 300 and body is not None and body.get("status") in (True, "true"):
            data, meta = body.get("data"), body.get("meta")
            if not isinstance(data, list):
                raise PaymentGatewayError("Paystack's list had no data.")
            pages = parse_amount(meta.get("pageCount")) if isinstance(meta, dict) else None
            return [cast("dict[str, object]", e) for e in data if isinstance(e, dict)], pages or 1
        raise _failure(answer)

    def _data(self, answer: _Answer) -> Mapping[str, object]:
        """`data` of a successful answer; otherwise the typed error the answer means."""
        body = answer.body
        if 200 <= answer.status_code < 300 and body is not None and body.get("status") in (True, "true"):
            data = body.get("data")
            if isinstance(data, dict):
                return cast("dict[str, object]", data)
            raise PaymentGatewayError("Paystack's answer had no data.")
        raise _failure(answer)


# --- answers ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Answer:
    status_code: int
    body: Mapping[str, object] | None  # the JSON object; None when the body is not one
    retry_after: int | None

    @property
    def message(self) -> str:
        value = self.body.get("message") if self.body is not None else None
        return value.strip() if isinstance(value, str) else ""

    @property
    def code(self) -> str | None:
        value = self.body.get("code") if self.body is not None else None
        return value if isinstance(value, str) else None

    @property
    def refused(self) -> bool:
        return self.body is not None and self.body.get("status") in (False, "false")


def _answer(response: httpx.Response) -> _Answer:
    try:
        parsed = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        parsed = None
    return _Answer(
        response.status_code,
        cast("dict[str, object]", parsed) if isinstance(parsed, dict) else None,
        _retry_after(response.headers.get("retry-after")),
    )


def _retry_after(value: str | None) -> int | None:
    """Retry-After as whole seconds (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, math.ceil((when - datetime.now(UTC)).total_seconds()))


def _lost(what: str, idempotent: bool, retry_after: int | None = None) -> PaymentGatewayError:
    if idempotent:
        return PaymentGatewayUnavailable(f"{what}; try again later.", retry_after=retry_after)
    return PaymentOutcomeUnknown(f"{what}; it may or may not have been applied.", retry_after=retry_after)


def _failure(answer: _Answer) -> PaymentGatewayError:
    # Paystack answers a bad key with 401, and in its verify sample with 400, "Invalid key".
    if answer.status_code == 401 or answer.message.lower() == "invalid key":
        return PaymentGatewayMisconfigured()
    if answer.refused:
        status = answer.status_code
        return PaymentRequestRejected(answer.message or None, code=answer.code, http_status=status)
    return PaymentGatewayError(f"Paystack answered HTTP {answer.status_code} with a body not understood.")


def _is_duplicate(answer: _Answer) -> bool:
    return (
        answer.status_code == 400
        and answer.refused
        and (
            answer.code == "duplicate_reference"
            or answer.message.lower() == "duplicate transaction reference"
        )
    )


def _is_not_found(answer: _Answer) -> bool:
    # The spec says 404; the wild mostly shows 400 "Transaction reference not found".
    if not answer.refused:
        return False
    return answer.status_code == 404 or (
        answer.status_code == 400 and answer.message.lower() in _NOT_FOUND_MESSAGES
    )


def _refund_of(entry: Mapping[str, object], transaction_id: int, reference: str) -> bool:
    """Whether a listed refund is of this transaction: Paystack names it by id (a number in
    lists) or, in create answers, as an object with its id and reference."""
    named = entry.get("transaction")
    if isinstance(named, dict):
        return named.get("reference") == reference or parse_amount(named.get("id")) == transaction_id
    return parse_amount(named) == transaction_id


def check_commission_percent(percent: int) -> None:
    """Paystack's `percentage_charge`: the platform's whole-percent cut, 0..100."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidValue("The commission is a whole percentage between 0 and 100.")


# --- Paystack shapes ------------------------------------------------------------------------


def parse_amount(value: object) -> int | None:
    """A subunit amount sent as a number (10000, 10000.0) or a string ("10000")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def parse_time(value: object) -> datetime | None:
    """An ISO-8601 timestamp such as "2024-08-22T09:15:02.000Z", as aware UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_metadata(value: object) -> dict[str, object]:
    """Metadata as sent at initialize: an object, a JSON string of one, or nothing ("", 0, null)."""
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return cast("dict[str, object]", value) if isinstance(value, dict) else {}


def parse_money(value: object, currency: object) -> Money | None:
    amount = parse_amount(value)
    if amount is None or not isinstance(currency, str):
        return None
    try:
        return Money(amount, Currency(currency.strip().upper()))
    except InvalidMoney:
        return None


def parse_status(value: object) -> TransactionStatus:
    """Paystack's `data.status`; a state it has not documented counts as pending (not paid)."""
    if isinstance(value, str):
        try:
            status = TransactionStatus(value.strip().lower())
        except ValueError:
            return TransactionStatus.PENDING
        if status is not TransactionStatus.UNKNOWN:
            return status
    return TransactionStatus.PENDING


def parse_transaction(data: Mapping[str, object], reference: str) -> PaymentVerification:
    """A verify answer's `data` (a transaction) as a `PaymentVerification`."""
    currency = data.get("currency")
    amount = parse_money(data.get("amount"), currency)
    requested = parse_money(data.get("requested_amount"), currency) if "requested_amount" in data else None
    echoed = data.get("reference")
    identifier = data.get("id")
    gateway_response = data.get("gateway_response")
    return PaymentVerification(
        reference=echoed if isinstance(echoed, str) and echoed else reference,
        status=parse_status(data.get("status")),
        amount=amount,
        requested_amount=requested if requested is not None else amount,
        paid_at=parse_time(data.get("paid_at")) or parse_time(data.get("paidAt")),
        gateway_response=gateway_response if isinstance(gateway_response, str) else None,
        transaction_id=parse_amount(identifier) if not isinstance(identifier, float) else None,
        raw=cast("dict[str, object]", redact(dict(data))),
        metadata=parse_metadata(data.get("metadata")),
    )


def parse_refund(data: Mapping[str, object], reference: str, requested: Money | None) -> RefundResult:
    """A refund answer's `data`; raises ValueError when it has no id or amount."""
    refund_id = data.get("id")
    if isinstance(refund_id, bool) or not isinstance(refund_id, int | str) or str(refund_id).strip() == "":
        raise ValueError("no refund id")
    transaction = data.get("transaction")
    transaction = transaction if isinstance(transaction, dict) else {}
    currency = data.get("currency") or transaction.get("currency")
    if currency is None and requested is not None:
        currency = requested.currency.code
    amount = parse_money(data.get("amount"), currency)
    if amount is None:
        if requested is None:
            raise ValueError("no refund amount")
        amount = requested
    echoed = transaction.get("reference")
    try:
        status = ProviderRefundStatus(str(data.get("status", "pending")).strip().lower())
    except ValueError:
        status = ProviderRefundStatus.PENDING
    return RefundResult(
        refund_id=str(refund_id).strip(),
        reference=echoed if isinstance(echoed, str) and echoed else reference,
        status=status,
        amount=amount,
    )


class PaystackCheck:
    """`artmarket doctor`: which kind of key this is, and whether Paystack accepts it.

    The probe is a verify of a reference that cannot exist: Paystack authenticates the key
    before it looks the reference up, so 401 means a refused key and "not found" an
    accepted one, and nothing is created.
    """

    name = "payments"

    def __init__(
        self, secret_key: str, *, base_url: str = DEFAULT_BASE_URL, production: bool, timeout: float = 5.0
    ) -> None:
        self._secret_key = secret_key.strip()
        self._base_url = base_url.rstrip("/")
        self._production = production
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"PaystackCheck(base_url={self._base_url!r})"

    @property
    def mode(self) -> str:
        if self._secret_key.startswith("sk_live_"):
            return "live"
        if self._secret_key.startswith("sk_test_"):
            return "test"
        return "unknown"

    async def check(self) -> str:
        if self.mode == "unknown":
            raise PaymentGatewayMisconfigured("The key is neither sk_live_… nor sk_test_…: not a secret key.")
        url = f"{self._base_url}/transaction/verify/artmarket-doctor-{os.urandom(6).hex()}"
        headers = {"Authorization": f"Bearer {self._secret_key}", "Accept": "application/json"}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise PaymentGatewayUnavailable(f"Paystack is out of reach ({type(error).__name__}).") from None
        if answer.status_code == httpx.codes.UNAUTHORIZED:
            raise PaymentGatewayMisconfigured(f"Paystack refused the {self.mode} secret key (401).")
        if answer.status_code not in (httpx.codes.BAD_REQUEST, httpx.codes.NOT_FOUND, httpx.codes.OK):
            raise PaymentGatewayUnavailable(f"Paystack answered {answer.status_code}.")
        found = f"{self.mode} secret key accepted by {self._base_url}"
        if self._production and self.mode == "test":
            raise NeedsAttention(f"{found}, but a test key moves no real money in production")
        return found
