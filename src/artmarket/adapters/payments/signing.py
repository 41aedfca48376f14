"""Paystack webhook authentication, shared by the Paystack adapter and the sandbox gateway.

Paystack signs each event with `x-paystack-signature`: the lowercase hex HMAC-SHA512 of
the raw request body, keyed with the account's secret key (there is no separate webhook
secret). The check runs over the bytes as received, before any parsing: re-serialising
a parsed body changes the bytes and breaks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Final, cast

from artmarket.application.payments.ports import InvalidWebhookSignature, MalformedWebhook, WebhookEvent

SIGNATURE_HEADER: Final = "x-paystack-signature"
REDACTED: Final = "[redacted]"
#: Keys whose values let someone charge a customer again (with our secret key): never stored.
_CREDENTIAL_KEYS: Final = frozenset({"authorization_code"})


def sign(raw_body: bytes, secret_key: str) -> str:
    """The `x-paystack-signature` of a body: lowercase hex HMAC-SHA512 keyed with the secret key."""
    return hmac.new(secret_key.encode("utf-8"), raw_body, hashlib.sha512).hexdigest()


def signature_matches(raw_body: bytes, signature: str | None, secret_key: str) -> bool:
    """Constant-time comparison of a received signature with the body's own."""
    if not signature:
        return False
    received = signature.strip().lower().encode("utf-8", "replace")
    return hmac.compare_digest(sign(raw_body, secret_key).encode("ascii"), received)


def authenticate_webhook(raw_body: bytes, signature: str | None, secret_key: str) -> WebhookEvent:
    """The event in an authentic Paystack webhook; see `WebhookEvent` for the key scheme."""
    if not signature_matches(raw_body, signature, secret_key):
        raise InvalidWebhookSignature()
    try:
        document = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedWebhook("The webhook body is not JSON.") from None
    if not isinstance(document, dict):
        raise MalformedWebhook("The webhook body is not a JSON object.")
    event, data = document.get("event"), document.get("data")
    if not isinstance(event, str) or not event or not isinstance(data, dict):
        raise MalformedWebhook("The webhook body lacks `event` or `data`.")
    payload = cast("dict[str, object]", redact(document))
    reference = event_reference(event, data)
    return WebhookEvent(key=event_key(event, data), event=event, reference=reference, payload=payload)


def event_reference(event: str, data: Mapping[str, object]) -> str | None:
    """The transaction reference an event is about, if any."""
    names = ("transaction_reference", "reference") if event.startswith("refund.") else ("reference",)
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value:
            return value
    transaction = data.get("transaction")
    if isinstance(transaction, dict) and isinstance(transaction.get("reference"), str):
        return str(transaction["reference"])
    return None


def event_key(event: str, data: Mapping[str, object]) -> str:
    """A key unique per real event, stable across redeliveries and re-serialisation."""
    reference = event_reference(event, data)
    if event.startswith("refund."):
        which = _text(data.get("id")) or _text(data.get("amount")) or "-"
        return f"{event}:{reference or '-'}:{which}"
    if event.startswith("transfer."):
        code = _text(data.get("transfer_code")) or reference
        if code:
            return f"{event}:{code}"
    identifier = _text(data.get("id"))
    if identifier:
        return f"{event}:{identifier}"
    if reference:
        return f"{event}:ref:{reference}"
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{event}:sha256:{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"


def redact(value: object) -> object:
    """A copy of parsed JSON without card authorization codes (reusable charge credentials)."""
    if isinstance(value, dict):
        return {
            key: (REDACTED if key in _CREDENTIAL_KEYS and item is not None else redact(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _text(value: object) -> str | None:
    """Ids and amounts arrive as numbers or strings ("5000"); one spelling for keys."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
