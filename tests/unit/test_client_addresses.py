"""The client address behind proxies: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar import Request
from litestar.testing import RequestFactory

from artmarket.entrypoints.http.network import ClientAddresses, WebhookSources

factory = RequestFactory()


def request(peer: str, forwarded: str | None = None) -> Request[Any, Any, Any]:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    built = factory.get("/", headers=headers)
    built.scope["client"] = (peer, 1234)
    return built


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() -> None:
    addresses = ClientAddresses.from_settings([])
    assert addresses.of(request("203.0.113.9", "198.51.100.1")) == ipaddress.ip_address("203.0.113.9")


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client() -> None:
    addresses = ClientAddresses.from_settings(["10.0.0.0/8"])
    forged_then_real = request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3")
    assert addresses.of(forged_then_real) == ipaddress.ip_address("198.51.100.7")


def test_the_webhook_allowlist_accepts_only_listed_sources() -> None:
    addresses = ClientAddresses.from_settings(["10.0.0.0/8"])
    sources = WebhookSources.from_settings(["52.31.139.75"], addresses)
    assert sources.allows(request("10.0.0.2", "52.31.139.75"))
    assert not sources.allows(request("10.0.0.2", "52.31.139.76"))
    assert not sources.allows(request("52.31.139.76", "52.31.139.75"))
    assert WebhookSources.from_settings([], addresses).allows(request("192.0.2.1"))
