"""A local Paystack for tests: a real HTTP server speaking Paystack's documented shapes.

It serves `POST /transaction/initialize`, `GET /transaction/verify/{reference}`,
`POST /refund`, `GET /refund` (the list, newest first, `page` and `perPage`, shaped like
Paystack's sample: `transaction` is the transaction's id) and `POST /subaccount` on
127.0.0.1 (a free port, background thread),
with Paystack's answers, errors included:
- a missing or wrong `Authorization: Bearer <secret>`: 401 {"status": false, "message": "Invalid key"};
- a reused reference: 400 with the exact body of Paystack's spec (`DUPLICATE_REFERENCE_BODY`);
- a reference with other characters than -, ., = and alphanumerics: 400
  "Invalid character in transaction reference";
- verify of an unknown reference: "Transaction reference not found" with status
  `not_found_status` (400 by default, as seen in the wild; Paystack's spec says 404).
Messages not documented by Paystack (refund and subaccount validation) are plausible
stand-ins; Paystack's error catalogue is used wherever it has one.

Tests play the customer with `pay`, and inject faults per path prefix: `fail_next`,
`delay_next`, `timeout_next` (hold the connection longer than the client waits, having
processed the request or not), `rate_limit_next` (429 + Retry-After). `requests` and
`count` tell what arrived. `reset` returns to a blank Paystack and releases held
connections; a request held across a reset is dropped, never applied to the next test.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, Self
from urllib.parse import parse_qs, unquote, urlsplit

from artmarket.adapters.payments.paystack_samples import (
    charge_success,
    new_transaction,
    paystack_time,
    random_code,
    test_card_authorization,
)
from artmarket.adapters.payments.signing import sign

#: The sample key of Paystack's docs (https://paystack.com/docs/api/); not a real key.
DOCUMENTED_SAMPLE_KEY = "sk_test_r3m3mb3r2pu70nasm1l3"
#: Paystack's spec, `TransactionInitializeBadRequestModel.example`, verbatim.
DUPLICATE_REFERENCE_BODY: Mapping[str, object] = {
    "status": False,
    "message": "Duplicate Transaction Reference",
    "meta": {"nextStep": "Try and create the Transaction or Charge with a new reference"},
    "type": "validation_error",
    "code": "duplicate_reference",
    "errorCodeMappingNotFound": False,
}
#: Paystack's rate-limit docs (beta), verbatim.
RATE_LIMITED_BODY: Mapping[str, object] = {
    "status": False,
    "message": "Rate limit exceeded!",
    "meta": {"nextStep": "Wait a few minutes and try the API call again"},
    "type": "api_error",
    "code": "rate_limited",
}
SUPPORTED_CURRENCIES = frozenset({"NGN", "GHS", "ZAR", "KES", "USD", "XOF"})
_REFERENCE = re.compile(r"[A-Za-z0-9.=-]+")
_VERIFY = "/transaction/verify/"
#: A refund's life at Paystack; a failed or stuck refund can still be processed (a retry).
_REFUND_STEPS = ("pending", "processing", "failed", "needs-attention", "processed")
Answer = tuple[int, object, dict[str, str]]


@dataclass(slots=True)
class _Fault:
    prefix: str
    kind: Literal["fail", "delay", "timeout", "rate_limit"]
    remaining: int
    status: int = 0
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    seconds: float = 0.0
    processed: bool = False
    retry_after: int = 0


class PaystackStandIn:
    """Paystack's API on 127.0.0.1; use as a context manager or `start()` / `stop()`."""

    def __init__(self, secret_key: str = DOCUMENTED_SAMPLE_KEY, *, not_found_status: int = 400) -> None:
        self.secret_key = secret_key
        self.default_not_found_status = not_found_status
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._holds: set[threading.Event] = set()
        self._generation = 0
        self._ids = 4_100_000_000
        self.not_found_status = not_found_status
        self.transactions: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, Any]] = []
        self.subaccounts: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self._faults: list[_Fault] = []

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> Self:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.standin = self
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="paystack-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release_holds()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("The Paystack stand-in is not running.")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reset(self) -> None:
        """A blank Paystack: no transactions, refunds, subaccounts, faults or recorded requests."""
        with self._lock:
            self._generation += 1
            self.transactions.clear()
            self.refunds.clear()
            self.subaccounts.clear()
            self.requests.clear()
            self._faults.clear()
            self.not_found_status = self.default_not_found_status
        self._release_holds()

    # --- what arrived -------------------------------------------------------------------

    def count(self, path_prefix: str, method: str | None = None) -> int:
        """How many requests arrived for paths starting with `path_prefix` (faulted ones too)."""
        with self._lock:
            return sum(
                1 for m, p in self.requests if p.startswith(path_prefix) and (method is None or m == method)
            )

    # --- playing the customer -----------------------------------------------------------

    def pay(
        self,
        reference: str,
        amount: int | None = None,
        currency: str | None = None,
        status: str = "success",
        requested_amount: int | None = None,
        *,
        fees: int | None = None,
        paid_at: datetime | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> dict[str, Any]:
        """The customer finishes the checkout; returns the transaction as verify will show it.

        `amount` makes it a transaction for another sum (requested too, unless
        `requested_amount` is given: then fees were passed on, amount = requested + fees);
        `extra` overwrites raw fields last (e.g. {"metadata": 0}) to reproduce quirks.
        """
        with self._lock:
            data = self.transactions[reference]
            if amount is not None:
                data["amount"] = data["requested_amount"] = amount
            if currency is not None:
                data["currency"] = currency
            if requested_amount is not None:
                data["requested_amount"] = requested_amount
            data["status"] = status
            if status == "success":
                stamp = paystack_time(paid_at or datetime.now(UTC))
                data.update(
                    gateway_response="Successful",
                    paid_at=stamp,
                    paidAt=stamp,
                    fees=fees if fees is not None else max(data["amount"] - data["requested_amount"], 0),
                    authorization=test_card_authorization(),
                    log={
                        "start_time": 1724318098,
                        "time_spent": 4,
                        "attempts": 1,
                        "errors": 0,
                        "success": True,
                    },
                )
            elif status == "failed":
                data.update(gateway_response="Declined", paid_at=None, paidAt=None)
            if extra:
                data.update(extra)
            copy: dict[str, Any] = json.loads(json.dumps(data))
            return copy

    def webhook_for(self, reference: str) -> tuple[bytes, str]:
        """Paystack's charge.success for the transaction (compact JSON) and its signature."""
        with self._lock:
            data = self.transactions[reference]
            document = charge_success(data)
        return self._signed(document)

    def refund_webhook_for(self, refund_id: str, status: str) -> tuple[bytes, str]:
        """Paystack's refund.{status} event for a refund made here, and its signature; the refund
        takes that status unless it is already further along (a late, stale event)."""
        with self._lock:
            refund = next(r for r in self.refunds if str(r["id"]) == str(refund_id))
            if _REFUND_STEPS.index(status) > _REFUND_STEPS.index(refund["status"]):
                refund["status"] = status
            data: dict[str, object] = {"id": str(refund["id"])} if status == "needs-attention" else {}
            data.update(
                status=status,
                transaction_reference=refund["transaction"]["reference"],
                refund_reference=None if status in ("pending", "processing") else f"{refund['id']:012d}",
                amount=refund["amount"] if status == "failed" else str(refund["amount"]),
                currency=refund["currency"],
                processor="mpgs_zen",
                customer={
                    "first_name": None,
                    "last_name": None,
                    "email": refund["transaction"]["customer"]["email"],
                },
                integration=412829,
                domain="test",
            )
        return self._signed({"event": f"refund.{status}", "data": data})

    # --- faults -------------------------------------------------------------------------

    def fail_next(
        self,
        path_prefix: str,
        status_code: int,
        body: Mapping[str, object] | bytes | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next request(s) under `path_prefix` with `status_code` without processing them.

        Without `body`: an HTML page for 5xx (what a load balancer sends), else a Paystack error.
        """
        if body is None and status_code >= 500:
            raw, content_type = b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"
        elif body is None:
            raw, content_type = _json({"status": False, "message": "Simulated error"}), "application/json"
        elif isinstance(body, bytes):
            raw, content_type = body, "application/json"
        else:
            raw, content_type = _json(body), "application/json"
        self._add(_Fault(path_prefix, "fail", times, status=status_code, body=raw, content_type=content_type))

    def delay_next(self, path_prefix: str, seconds: float, *, times: int = 1) -> None:
        """Wait `seconds` before handling the next request(s) under `path_prefix` normally."""
        self._add(_Fault(path_prefix, "delay", times, seconds=seconds))

    def timeout_next(
        self, path_prefix: str, *, processed: bool = False, hold: float = 10.0, times: int = 1
    ) -> None:
        """Never answer the next request(s): hold the connection `hold` s (or until reset), then drop it.

        `processed=True` applies the request first (the answer is what gets lost, the
        ambiguous case); `processed=False` drops it unapplied.
        """
        self._add(_Fault(path_prefix, "timeout", times, seconds=hold, processed=processed))

    def rate_limit_next(self, path_prefix: str, *, retry_after: int = 30, times: int = 1) -> None:
        """Answer 429 with Retry-After and Paystack's documented rate-limit body."""
        self._add(_Fault(path_prefix, "rate_limit", times, status=429, retry_after=retry_after))

    # --- internals ----------------------------------------------------------------------

    def _add(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _arrived(self, method: str, path: str) -> tuple[_Fault | None, int]:
        with self._lock:
            self.requests.append((method, path))
            for fault in self._faults:
                if path.startswith(fault.prefix):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault, self._generation
            return None, self._generation

    def _hold(self, seconds: float, generation: int) -> bool:
        """Wait; False when a reset happened meanwhile (the request must then be dropped)."""
        event = threading.Event()
        with self._lock:
            if generation != self._generation:
                return False
            self._holds.add(event)
        event.wait(seconds)
        with self._lock:
            self._holds.discard(event)
            return generation == self._generation

    def _release_holds(self) -> None:
        with self._lock:
            holds = list(self._holds)
        for event in holds:
            event.set()

    def _signed(self, document: Mapping[str, object]) -> tuple[bytes, str]:
        body = json.dumps(document, separators=(",", ":")).encode("utf-8")
        return body, sign(body, self.secret_key)

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def handle(
        self, method: str, path: str, authorization: str | None, raw: bytes, query: str = ""
    ) -> Answer:
        """Paystack's answer to one request: (status, JSON document, extra headers)."""
        if authorization != f"Bearer {self.secret_key}":
            return 401, {"status": False, "message": "Invalid key"}, {}
        body: dict[str, Any] = {}
        if method == "POST":
            try:
                parsed = json.loads(raw or b"{}")
            except ValueError:
                return 400, {"status": False, "message": "Invalid JSON body"}, {}
            if not isinstance(parsed, dict):
                return 400, {"status": False, "message": "Invalid JSON body"}, {}
            body = parsed
        with self._lock:
            if method == "POST" and path == "/transaction/initialize":
                return self._initialize(body)
            if method == "GET" and path.startswith(_VERIFY):
                return self._verify(unquote(path[len(_VERIFY) :]))
            if method == "GET" and path == "/transaction/verify":
                return self._verify("")
            if method == "POST" and path == "/refund":
                return self._refund(body)
            if method == "GET" and path == "/refund":
                return self._refund_list(parse_qs(query))
            if method == "POST" and path == "/subaccount":
                return self._subaccount(body)
        return 404, {"status": False, "message": "Route not found"}, {}

    def _initialize(self, body: dict[str, Any]) -> Answer:
        email = body.get("email")
        if not isinstance(email, str) or not email.strip():
            return _error("Email is not allowed to be empty")
        amount = _integer(body.get("amount"))
        if amount is None:
            return _error("Invalid Amount Sent")
        if amount <= 0:
            return _error("You must specify a valid amount")
        currency = body.get("currency") or "NGN"
        if currency not in SUPPORTED_CURRENCIES:
            return _error("Currency not supported by merchant")
        reference = body.get("reference") or random_code(10)
        if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
            return _error("Invalid character in transaction reference")
        if reference in self.transactions:
            return 400, dict(DUPLICATE_REFERENCE_BODY), {}
        subaccount = body.get("subaccount")
        if subaccount is not None and subaccount not in {s["subaccount_code"] for s in self.subaccounts}:
            return _error("Subaccount not found")
        charge = body.get("transaction_charge")
        flat = _integer(charge) if charge is not None else None
        if charge is not None and (flat is None or not 0 <= flat <= amount):
            return _error("Invalid transaction charge")
        now = paystack_time(datetime.now(UTC))
        access_code = random_code(15)
        metadata = body.get("metadata")
        self.transactions[reference] = {
            **new_transaction(
                transaction_id=self._next_id(),
                customer_id=181873746,
                reference=reference,
                amount=amount,
                currency=currency,
                email=email,
                metadata=metadata if metadata not in (None, {}) else "",
                subaccount=subaccount,
                now=now,
            ),
            # What was asked, kept for assertions (Paystack's verify does not show these).
            "_callback_url": body.get("callback_url"),
            "_transaction_charge": flat,
            "_access_code": access_code,
        }
        data = {
            "authorization_url": f"https://checkout.paystack.com/{access_code}",
            "access_code": access_code,
            "reference": reference,
        }
        return 200, {"status": True, "message": "Authorization URL created", "data": data}, {}

    def _verify(self, reference: str) -> Answer:
        if not reference:
            return _error("Transaction ID should be numeric.")
        data = self.transactions.get(reference)
        if data is None:
            return self.not_found_status, {"status": False, "message": "Transaction reference not found"}, {}
        shown = {k: v for k, v in data.items() if not k.startswith("_")}
        return 200, {"status": True, "message": "Verification successful", "data": shown}, {}

    def _refund(self, body: dict[str, Any]) -> Answer:
        wanted = body.get("transaction")
        if wanted in (None, ""):
            return _error("Transaction reference or id is required")
        transaction = self.transactions.get(str(wanted)) or next(
            (t for t in self.transactions.values() if str(t["id"]) == str(wanted)), None
        )
        if transaction is None:
            return 404, {"status": False, "message": "Transaction not found"}, {}
        if transaction["status"] == "reversed":
            return _error("Transaction has been fully reversed")
        if transaction["status"] != "success":
            return _error("Cannot refund a transaction that has not been completed")
        refunded = sum(
            r["amount"]
            for r in self.refunds
            if r["transaction"]["id"] == transaction["id"] and r["status"] != "failed"
        )
        if refunded >= transaction["amount"]:
            return _error("Transaction has been fully reversed")
        amount = (
            _integer(body.get("amount"))
            if body.get("amount") is not None
            else transaction["amount"] - refunded
        )
        if amount is None or amount <= 0 or refunded + amount > transaction["amount"]:
            return _error("Refund amount cannot be more than the original transaction amount")
        currency = body.get("currency") or transaction["currency"]
        if currency != transaction["currency"]:
            return _error("Currency does not match the transaction currency")
        now = datetime.now(UTC)
        refund = {
            "transaction": {
                k: transaction.get(k)
                for k in (
                    "id",
                    "domain",
                    "reference",
                    "amount",
                    "paid_at",
                    "channel",
                    "currency",
                    "authorization",
                    "customer",
                    "plan",
                    "subaccount",
                    "split",
                    "order_id",
                    "paidAt",
                    "pos_transaction_data",
                    "source",
                    "fees_breakdown",
                    "connect",
                )
            },
            "integration": 412829,
            "deducted_amount": 0,
            "channel": None,
            "merchant_note": body.get("merchant_note")
            or f"Refund for transaction {transaction['reference']}",
            "customer_note": body.get("customer_note")
            or f"Refund for transaction {transaction['reference']}",
            "status": "pending",
            "refunded_by": "tests@artmarket.example",
            "expected_at": paystack_time(now + timedelta(days=9)),
            "currency": currency,
            "domain": "test",
            "amount": amount,
            "fully_deducted": False,
            "id": self._next_id(),
            "createdAt": paystack_time(now),
            "updatedAt": paystack_time(now),
        }
        self.refunds.append(refund)
        return 200, {"status": True, "message": "Refund has been queued for processing", "data": refund}, {}

    def _refund_list(self, query: Mapping[str, list[str]]) -> Answer:
        per_page = _integer((query.get("perPage") or ["50"])[0]) or 50
        page = _integer((query.get("page") or ["1"])[0]) or 1
        newest_first = self.refunds[::-1]
        shown = newest_first[(page - 1) * per_page : page * per_page]
        listed = [
            {
                "integration": r["integration"],
                "transaction": r["transaction"]["id"],
                "dispute": None,
                "settlement": None,
                "id": r["id"],
                "domain": r["domain"],
                "currency": r["currency"],
                "amount": r["amount"],
                "status": r["status"],
                "refunded_at": None,
                "refunded_by": r["refunded_by"],
                "customer_note": r["customer_note"],
                "merchant_note": r["merchant_note"],
                "deducted_amount": r["deducted_amount"],
                "fully_deducted": r["fully_deducted"],
                "createdAt": r["createdAt"],
            }
            for r in shown
        ]
        meta = {
            "total": len(self.refunds),
            "skipped": (page - 1) * per_page,
            "perPage": per_page,
            "page": page,
            "pageCount": max(1, -(-len(self.refunds) // per_page)),
        }
        return 200, {"status": True, "message": "Refunds retrieved", "data": listed, "meta": meta}, {}

    def _subaccount(self, body: dict[str, Any]) -> Answer:
        name = body.get("business_name")
        bank = body.get("settlement_bank") or body.get("bank_code")
        account = body.get("account_number")
        percent = body.get("percentage_charge")
        if not isinstance(name, str) or not name.strip():
            return _error("business_name is required")
        if not isinstance(bank, str) or not bank.strip():
            return _error("settlement_bank is required")
        if account in (None, ""):
            return _error("account_number is required")
        if not str(account).isdigit() or len(str(account)) < 6:
            return _error("Account number must be at least 6 digits in length")
        if isinstance(percent, bool) or not isinstance(percent, int | float) or not 0 <= percent <= 100:
            return _error("percentage_charge must be a number between 0 and 100")
        now = paystack_time(datetime.now(UTC))
        subaccount = {
            "business_name": name,
            "account_number": str(account),
            "percentage_charge": percent,
            "settlement_bank": "Test Bank",
            "currency": "NGN",
            "bank": int(bank) if bank.isdigit() else 9,
            "integration": 412829,
            "domain": "test",
            "account_name": name.upper(),
            "product": "collection",
            "managed_by_integration": 412829,
            "subaccount_code": f"ACCT_{random_code(15)}",
            "is_verified": False,
            "settlement_schedule": "AUTO",
            "active": True,
            "migrate": False,
            "id": self._next_id(),
            "createdAt": now,
            "updatedAt": now,
        }
        self.subaccounts.append(subaccount)
        return 201, {"status": True, "message": "Subaccount created", "data": subaccount}, {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    standin: PaystackStandIn

    def handle_error(self, request: object, client_address: object) -> None:
        # The client gave up (timeout tests): not an error of the stand-in.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms stalls
    server: _Server

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def _dispatch(self, method: str) -> None:
        standin = self.server.standin
        path = urlsplit(self.path).path
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault, generation = standin._arrived(method, path)
        if fault is not None and fault.kind == "fail":
            self._send(fault.status, fault.body, fault.content_type)
            return
        if fault is not None and fault.kind == "rate_limit":
            headers = {"Retry-After": str(fault.retry_after)}
            self._send(429, _json(RATE_LIMITED_BODY), "application/json", headers)
            return
        if fault is not None and fault.kind == "timeout":
            if fault.processed:
                standin.handle(method, path, self.headers.get("Authorization"), raw)
            standin._hold(fault.seconds, generation)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "delay" and not standin._hold(fault.seconds, generation):
            self.close_connection = True
            return
        status, document, headers = standin.handle(
            method, path, self.headers.get("Authorization"), raw, urlsplit(self.path).query
        )
        self._send(status, _json(document), "application/json; charset=utf-8", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _error(message: str, status: int = 400) -> Answer:
    return status, {"status": False, "message": message}, {}


def _json(document: object) -> bytes:
    return json.dumps(document).encode("utf-8")


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None
