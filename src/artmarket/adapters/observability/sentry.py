"""Error reports to Sentry, with secrets, credentials, cookies and people's addresses removed first.

Nothing leaves the process unscrubbed: `before_send` and `before_breadcrumb` run every event
through `scrub`, which drops values under sensitive keys (authorization, cookies, passwords,
keys, signatures, email and postal addresses, phone numbers, client IPs) and masks secrets
found inside any text (Paystack keys, bearer tokens, JWTs, credentials in URLs, hex private
keys, email and IP addresses). Request bodies, local variables and the command line are
never sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from artmarket.adapters.observability.tracing import trace_ids

FILTERED = "[Filtered]"

#: Keys whose values are never reported, matched on whole words of the key (`x-paystack-signature`,
#: `delivery_address`, `refresh_token`, `ARTMARKET_JWT_SECRET`, ...).
_SENSITIVE_WORDS = (
    "authorization|auth|cookie|cookies|set-cookie|session|sessionid|csrf|csrftoken|xsrf|"
    "password|passwd|pwd|secret|secrets|token|tokens|jwt|apikey|api-key|api_key|key|keys|dsn|"
    "signature|credentials|credential|private|address|addresses|email|emails|phone|mobile|"
    "street|city|postcode|postal|zip|forwarded|x-forwarded-for|x-real-ip|ip|ip_address|"
    "remote_addr|account_number|iban|card|pan|cvv"
)
_SENSITIVE_KEY = re.compile(rf"(?:^|[^a-z0-9])(?:{_SENSITIVE_WORDS})(?:$|[^a-z0-9])", re.IGNORECASE)

#: Secrets and personal data inside free text, each replaced by `FILTERED` (or the kept prefix).
_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bsk_(?:live|test)_[A-Za-z0-9]+"), FILTERED),
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE), rf"\1 {FILTERED}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), FILTERED),
    (re.compile(r"([a-z][a-z0-9+.-]*://)[^/\s@]*:[^/\s@]+@", re.IGNORECASE), rf"\1{FILTERED}@"),
    (re.compile(r"\b(?:0x)?[0-9a-fA-F]{64,}\b"), FILTERED),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), FILTERED),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), FILTERED),
    (re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b"), FILTERED),
)

#: Parts of an event that are dropped whole: bodies and cookies may hold anything.
_DROPPED_REQUEST_PARTS = ("data", "cookies", "env")


def scrub_text(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any) -> Any:
    """`value` with sensitive keys' values replaced and secrets in text masked, recursively."""
    if isinstance(value, Mapping):
        return {
            key: FILTERED if isinstance(key, str) and _SENSITIVE_KEY.search(key) else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # Header lists come as [name, value] pairs: judge the value by the name.
        if len(value) == 2 and isinstance(value[0], str) and _SENSITIVE_KEY.search(value[0]):
            return [value[0], FILTERED]
        return [scrub(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value


def scrub_event(event: dict[str, Any], _hint: Any = None) -> dict[str, Any]:
    """Sentry's `before_send`: the event without secrets, bodies, cookies or personal addresses."""
    request = event.get("request")
    if isinstance(request, dict):
        for part in _DROPPED_REQUEST_PARTS:
            request.pop(part, None)
    extra = event.get("extra")
    if isinstance(extra, dict):
        # The command line may carry credentials (`backup restore --database-url ...`).
        extra.pop("sys.argv", None)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    scrubbed: dict[str, Any] = scrub(event)
    ids = trace_ids()
    if ids:
        # The OpenTelemetry trace of the failing request or task, to find it in the trace store.
        scrubbed.setdefault("tags", {})["otel.trace_id"] = ids["trace_id"]
    return scrubbed


def scrub_breadcrumb(crumb: dict[str, Any], _hint: Any = None) -> dict[str, Any]:
    """Sentry's `before_breadcrumb`: the same scrubbing for breadcrumbs (HTTP calls, log lines)."""
    scrubbed: dict[str, Any] = scrub(crumb)
    return scrubbed


def configure_sentry(dsn: str | None, *, environment: str, release: str | None) -> bool:
    """Report unhandled errors (HTTP 500s, failed tasks, error logs) to Sentry when a DSN is set."""
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,  # type: ignore[arg-type]  # sentry types events as its Event TypedDict
        before_breadcrumb=scrub_breadcrumb,
        # Traces go to OpenTelemetry; Sentry gets errors only.
        traces_sample_rate=None,
    )
    return True
