"""Sentry gets no secrets: keys, tokens, cookies, signatures, credentials, people's addresses."""

from __future__ import annotations

import json
import secrets
from typing import Any

from artmarket.adapters.observability.sentry import FILTERED, scrub_breadcrumb, scrub_event, scrub_text

PAYSTACK_KEY = "sk_live_" + secrets.token_hex(16)  # live-shaped, made at run time (never committed)
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
HEDERA_KEY = "302e020100300506032b657004220420" + "ab" * 32
DB_PASSWORD = "pg-Pa55word-x9"
SECRETS = [
    PAYSTACK_KEY,
    JWT,
    HEDERA_KEY,
    DB_PASSWORD,
    "ada@example.com",
    "10.1.2.3",
    "12 Marina Road",
    "sessionid=abc123",
]


def an_event() -> dict[str, Any]:
    """A 500 as sentry-sdk's Litestar integration reports it, with everything that must not leave."""
    return {
        "level": "error",
        "exception": {
            "values": [
                {
                    "type": "StorageUnavailable",
                    "value": f"could not connect to postgresql+psycopg://artmarket:{DB_PASSWORD}@db:5432/artmarket",
                    "stacktrace": {
                        "frames": [{"function": "place", "module": "artmarket.application", "lineno": 7}]
                    },
                },
                {"type": "PaymentGatewayMisconfigured", "value": f"Paystack refused key {PAYSTACK_KEY}"},
            ]
        },
        "request": {
            "url": "https://art.example/api/v1/orders",
            "method": "POST",
            "headers": {
                "Authorization": f"Bearer {JWT}",
                "Cookie": "sessionid=abc123",
                "X-Paystack-Signature": "f" * 128,
                "X-Forwarded-For": "10.1.2.3",
                "User-Agent": "Mozilla/5.0",
            },
            "cookies": {"sessionid": "abc123"},
            "data": {
                "password": "correct horse battery staple",
                "delivery_address": {"line1": "12 Marina Road"},
            },
            "query_string": "reference=am-1",
        },
        "user": {"id": "u-1", "email": "ada@example.com", "ip_address": "10.1.2.3"},
        "extra": {
            "sys.argv": ["artmarket", "backup", "restore", "--database-url", DB_PASSWORD],
            "delivery_address": "12 Marina Road, Lagos",
            "hedera_operator_key": HEDERA_KEY,
            "note": f"buyer ada@example.com paid from 10.1.2.3 with token {JWT}",
        },
        "breadcrumbs": {
            "values": [{"category": "httplib", "data": {"url": f"https://u:{DB_PASSWORD}@kubo:5001/api"}}]
        },
    }


def test_no_secret_or_personal_address_survives_scrubbing() -> None:
    scrubbed = json.dumps(scrub_event(an_event()))

    for secret in SECRETS:
        assert secret not in scrubbed, secret


def test_what_helps_debugging_is_kept() -> None:
    scrubbed = scrub_event(an_event())

    first, second = scrubbed["exception"]["values"]
    assert first["type"] == "StorageUnavailable"
    assert first["value"] == f"could not connect to postgresql+psycopg://{FILTERED}@db:5432/artmarket"
    assert first["stacktrace"]["frames"][0]["function"] == "place"
    assert second["value"] == f"Paystack refused key {FILTERED}"
    assert scrubbed["request"]["url"] == "https://art.example/api/v1/orders"
    assert scrubbed["request"]["headers"]["User-Agent"] == "Mozilla/5.0"
    assert scrubbed["request"]["headers"]["Authorization"] == FILTERED
    assert scrubbed["request"]["headers"]["X-Paystack-Signature"] == FILTERED
    assert scrubbed["user"] == {"id": "u-1"}
    assert "data" not in scrubbed["request"]
    assert "cookies" not in scrubbed["request"]


def test_header_pairs_and_breadcrumbs_are_scrubbed_too() -> None:
    crumb = {"data": {"headers": [["authorization", f"Bearer {JWT}"], ["accept", "application/json"]]}}

    assert scrub_breadcrumb(crumb) == {
        "data": {"headers": [["authorization", FILTERED], ["accept", "application/json"]]}
    }


def test_secrets_inside_text_are_masked() -> None:
    assert scrub_text(f"key={PAYSTACK_KEY}; auth=Bearer {JWT}") == f"key={FILTERED}; auth=Bearer {FILTERED}"
    assert scrub_text("redis://:s3cret@cache:6379/0") == f"redis://{FILTERED}@cache:6379/0"
    assert scrub_text("token 0.0.5678 serial 12") == "token 0.0.5678 serial 12"  # Hedera ids are not secrets
