"""What the sandbox gateway remembers, as a JSON file in the data directory.

Paystack keeps every transaction; so does the sandbox, so that an order placed before a
restart (on the same port or another) can still be paid, verified and refunded after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from artmarket.adapters.atomic_files import write_atomically
from artmarket.application.payments.ports import CheckoutRequest, ProviderRefundStatus, RefundResult
from artmarket.domain.money import Currency, Money

_STATE_VERSION: Final = 1


@dataclass(slots=True)
class SandboxTransaction:
    request: CheckoutRequest
    data: dict[str, object]  # Paystack's verify `data`
    access_code: str


def save_state(path: Path, transactions: dict[str, SandboxTransaction], refunds: list[RefundResult]) -> None:
    """Replace the state file with every transaction and refund."""
    state = {
        "version": _STATE_VERSION,
        "transactions": [
            {"request": _request_json(t.request), "data": t.data, "access_code": t.access_code}
            for t in transactions.values()
        ],
        "refunds": [
            {
                "refund_id": r.refund_id,
                "reference": r.reference,
                "status": r.status.value,
                "amount": _money_json(r.amount),
            }
            for r in refunds
        ],
    }
    write_atomically(path, json.dumps(state, indent=1).encode())


def load_state(path: Path) -> tuple[dict[str, SandboxTransaction], list[RefundResult]]:
    """The transactions (by reference) and refunds `save_state` wrote."""
    state: dict[str, Any] = json.loads(path.read_bytes())
    if state.get("version") != _STATE_VERSION:
        raise ValueError(f"{path}: unknown sandbox gateway state version {state.get('version')!r}")
    transactions = {}
    for item in state["transactions"]:
        request = _request(item["request"])
        transactions[request.reference] = SandboxTransaction(request, item["data"], item["access_code"])
    refunds = [
        RefundResult(r["refund_id"], r["reference"], ProviderRefundStatus(r["status"]), _money(r["amount"]))
        for r in state["refunds"]
    ]
    return transactions, refunds


def _request_json(request: CheckoutRequest) -> dict[str, object]:
    return {
        "reference": request.reference,
        "email": request.email,
        "amount": _money_json(request.amount),
        "callback_url": request.callback_url,
        "metadata": dict(request.metadata),
        "subaccount": request.subaccount,
        "transaction_charge": request.transaction_charge,
    }


def _request(item: dict[str, Any]) -> CheckoutRequest:
    return CheckoutRequest(
        reference=item["reference"],
        email=item["email"],
        amount=_money(item["amount"]),
        callback_url=item["callback_url"],
        metadata=item["metadata"],
        subaccount=item["subaccount"],
        transaction_charge=item["transaction_charge"],
    )


def _money_json(money: Money) -> dict[str, object]:
    return {"amount": money.amount, "currency": money.currency.code}


def _money(item: dict[str, Any]) -> Money:
    return Money(int(item["amount"]), Currency(item["currency"]))
