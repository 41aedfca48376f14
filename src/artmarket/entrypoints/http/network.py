"""Who is calling: the client address behind trusted proxies, and the webhook source allowlist.

`ClientAddresses` is the only place forwarded headers are read: uvicorn runs with
`proxy_headers=False` (bootstrap.uvicorn_config), so the peer in the ASGI scope is the TCP
peer, and every consumer (login throttle, callback throttle, webhook allowlist, access log,
whose request id audit entries carry) asks `ClientAddresses`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.types import Scope

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Paystack's documented webhook sources, the same for test and live
#: (https://paystack.com/docs/payments/webhooks/, "IP whitelisting").
PAYSTACK_WEBHOOK_IPS = ("52.31.139.75", "52.49.173.169", "52.214.14.220")


def _networks(values: list[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)


@dataclass(frozen=True)
class ClientAddresses:
    """Resolves the real client address: `X-Forwarded-For` is believed only from trusted proxies."""

    trusted_proxies: tuple[Network, ...]

    @classmethod
    def from_settings(cls, trusted_proxies: list[str]) -> ClientAddresses:
        return cls(_networks(trusted_proxies))

    def of(self, connection: ASGIConnection[Any, Any, Any, Any]) -> Address | None:
        return self.of_scope(connection.scope)

    def label(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """The client's address as the use cases record it (`unknown` when there is none)."""
        return str(self.of(connection) or "unknown")

    def of_scope(self, scope: Scope) -> Address | None:
        """The client of an HTTP scope (what `of` answers, for ASGI middleware)."""
        client = scope.get("client")
        peer = _parse(client[0] if client else None)
        if peer is None or not self._trusted(peer):
            return peer
        forwarded = [_parse(part.strip()) for part in _forwarded_for(scope).split(",") if part.strip()]
        # Walk from the nearest hop back; the first address we do not trust is the client.
        for hop in reversed(forwarded):
            if hop is None:
                return peer
            if not self._trusted(hop):
                return hop
        return peer

    def _trusted(self, address: Address) -> bool:
        return any(address in network for network in self.trusted_proxies)


@dataclass(frozen=True)
class WebhookSources:
    """An optional allowlist of webhook source addresses (empty: any source, signature still checked)."""

    allowed: tuple[Network, ...]
    addresses: ClientAddresses

    def allows(self, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        if not self.allowed:
            return True
        address = self.addresses.of(connection)
        return address is not None and any(address in network for network in self.allowed)

    @classmethod
    def from_settings(cls, allowed: list[str], addresses: ClientAddresses) -> WebhookSources:
        return cls(_networks(allowed), addresses)


def _forwarded_for(scope: Scope) -> str:
    """Every X-Forwarded-For header of the request, joined in order (RFC 9110 list semantics)."""
    headers = scope.get("headers", [])
    return ",".join(value.decode("latin-1") for key, value in headers if key.lower() == b"x-forwarded-for")


def _parse(value: str | None) -> Address | None:
    try:
        return ipaddress.ip_address(value) if value else None
    except ValueError:
        return None
