"""Documents shaped like Paystack's own samples: what the sandbox gateway and the tests' stand-in send."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from datetime import UTC, datetime

# The key order of Paystack's modern charge.success sample (pay-with-transfer, 2023).
WEBHOOK_FIELDS = (
    "id",
    "domain",
    "status",
    "reference",
    "amount",
    "message",
    "gateway_response",
    "paid_at",
    "created_at",
    "channel",
    "currency",
    "ip_address",
    "metadata",
    "fees_breakdown",
    "log",
    "fees",
    "fees_split",
    "authorization",
    "customer",
    "plan",
    "subaccount",
    "split",
    "order_id",
    "paidAt",
    "requested_amount",
    "pos_transaction_data",
    "source",
)
_ALPHABET = string.ascii_lowercase + string.digits


def charge_success(transaction: Mapping[str, object]) -> dict[str, object]:
    """The `charge.success` event for a paid transaction (in verify shape), keys in Paystack's order."""
    return {"event": "charge.success", "data": {name: transaction.get(name) for name in WEBHOOK_FIELDS}}


def new_transaction(
    *,
    transaction_id: int,
    customer_id: int,
    reference: str,
    amount: int,
    currency: str,
    email: str,
    metadata: object,
    subaccount: str | None,
    now: str,
) -> dict[str, object]:
    """A transaction just initialized, as verify shows it before any payment (`abandoned`)."""
    return {
        "id": transaction_id,
        "domain": "test",
        "status": "abandoned",
        "reference": reference,
        "receipt_number": None,
        "amount": amount,
        "message": None,
        "gateway_response": "The transaction was not completed",
        "paid_at": None,
        "created_at": now,
        "channel": "card",
        "currency": currency,
        "ip_address": None,
        "metadata": metadata,
        "log": None,
        "fees": None,
        "fees_split": None,
        "authorization": {},
        "customer": {
            "id": customer_id,
            "first_name": None,
            "last_name": None,
            "email": email,
            "customer_code": f"CUS_{random_code(15)}",
            "phone": None,
            "metadata": None,
            "risk_action": "default",
            "international_format_phone": None,
        },
        "plan": None,
        "split": {},
        "order_id": None,
        "paidAt": None,
        "createdAt": now,
        "requested_amount": amount,
        "pos_transaction_data": None,
        "source": None,
        "fees_breakdown": None,
        "connect": None,
        "transaction_date": now,
        "plan_object": {},
        "subaccount": {"subaccount_code": subaccount} if subaccount else {},
    }


def test_card_authorization() -> dict[str, object]:
    """The authorization of a payment with Paystack's test Visa card, with fresh codes."""
    return {
        "authorization_code": f"AUTH_{random_code(10)}",
        "bin": "408408",
        "last4": "4081",
        "exp_month": "12",
        "exp_year": "2030",
        "channel": "card",
        "card_type": "visa ",
        "bank": "TEST BANK",
        "country_code": "NG",
        "brand": "visa",
        "reusable": True,
        "signature": f"SIG_{random_code(20)}",
        "account_name": None,
    }


def paystack_time(moment: datetime) -> str:
    """Paystack's timestamp form: UTC, milliseconds, 'Z' (a naive moment is taken as UTC)."""
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def random_code(length: int) -> str:
    """Lower-case letters and digits, as in Paystack's access codes and customer codes."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))
