"""Paystack's HTTP answers: the JSON envelope, Retry-After, and which error each answer means."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, cast

import httpx

from artmarket.application.payments.ports import (
    PaymentGatewayError,
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
    PaymentOutcomeUnknown,
    PaymentRequestRejected,
)

_NOT_FOUND_MESSAGES: Final = frozenset(
    {"transaction reference not found", "transaction not found", "entity not found"}
)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: its status, its JSON object (None if the body is not one) and its Retry-After."""

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


def answer_of(response: httpx.Response) -> Answer:
    """The answer in `response`, whatever its body."""
    try:
        parsed = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        parsed = None
    return Answer(
        response.status_code,
        cast("dict[str, object]", parsed) if isinstance(parsed, dict) else None,
        retry_after_seconds(response.headers.get("retry-after")),
    )


def retry_after_seconds(value: str | None) -> int | None:
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


def lost(what: str, idempotent: bool, retry_after: int | None = None) -> PaymentGatewayError:
    """No answer came: safe to repeat (idempotent) or an outcome nobody knows."""
    if idempotent:
        return PaymentGatewayUnavailable(f"{what}; try again later.", retry_after=retry_after)
    return PaymentOutcomeUnknown(f"{what}; it may or may not have been applied.", retry_after=retry_after)


def failure(answer: Answer) -> PaymentGatewayError:
    """The port's error for an answer that is not a success."""
    # Paystack answers a bad key with 401, and in its verify sample with 400, "Invalid key".
    if answer.status_code == 401 or answer.message.lower() == "invalid key":
        return PaymentGatewayMisconfigured()
    if answer.refused:
        status = answer.status_code
        return PaymentRequestRejected(answer.message or None, code=answer.code, http_status=status)
    return PaymentGatewayError(f"Paystack answered HTTP {answer.status_code} with a body not understood.")


def is_duplicate(answer: Answer) -> bool:
    """Paystack already has a transaction with this reference."""
    return (
        answer.status_code == 400
        and answer.refused
        and (
            answer.code == "duplicate_reference"
            or answer.message.lower() == "duplicate transaction reference"
        )
    )


def is_not_found(answer: Answer) -> bool:
    """Paystack knows no such transaction."""
    # The spec says 404; the wild mostly shows 400 "Transaction reference not found".
    if not answer.refused:
        return False
    return answer.status_code == 404 or (
        answer.status_code == 400 and answer.message.lower() in _NOT_FOUND_MESSAGES
    )
