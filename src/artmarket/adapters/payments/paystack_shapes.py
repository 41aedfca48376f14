"""Paystack's JSON shapes read as the payment port's values, quirks included.

Metadata comes as "", 0, null, an object or a JSON string; amounts as numbers or strings;
the payment time as `paid_at` or `paidAt`. The sandbox gateway uses these too, so both
report identically.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import cast

from artmarket.adapters.payments.signing import redact
from artmarket.application.payments.ports import (
    PaymentVerification,
    ProviderRefundStatus,
    RefundResult,
    TransactionStatus,
)
from artmarket.domain.errors import InvalidValue
from artmarket.domain.money import Currency, InvalidMoney, Money


def check_commission_percent(percent: int) -> None:
    """Paystack's `percentage_charge`: the platform's whole-percent cut, 0..100."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise InvalidValue("The commission is a whole percentage between 0 and 100.")


def is_refund_of(entry: Mapping[str, object], transaction_id: int, reference: str) -> bool:
    """Whether a listed refund is of this transaction: Paystack names it by id (a number in
    lists) or, in create answers, as an object with its id and reference."""
    named = entry.get("transaction")
    if isinstance(named, dict):
        return named.get("reference") == reference or parse_amount(named.get("id")) == transaction_id
    return parse_amount(named) == transaction_id


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
