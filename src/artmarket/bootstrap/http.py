"""What the HTTP entrypoint takes from settings: who is asking, upload limits, readiness checks."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.persistence.database import DatabaseCheck
from artmarket.adapters.queue.redis_check import RedisCheck
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.application.ports import DependencyCheck
from artmarket.bootstrap.diagnostics import ipfs_checks
from artmarket.entrypoints.http.controllers.health import ReadinessChecks
from artmarket.entrypoints.http.network import PAYSTACK_WEBHOOK_IPS, ClientAddresses, WebhookSources
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.settings import Settings


class HttpProvider(Provider):
    """Client addresses and webhook sources (trusted proxies, Paystack's IPs), upload limits, readiness."""

    @provide(scope=Scope.APP)
    def client_addresses(self, settings: Settings) -> ClientAddresses:
        return ClientAddresses.from_settings(settings.trusted_proxies)

    @provide(scope=Scope.APP)
    def webhook_sources(self, settings: Settings, addresses: ClientAddresses) -> WebhookSources:
        allowed = settings.paystack_webhook_ips
        if allowed is None:
            allowed = list(PAYSTACK_WEBHOOK_IPS) if settings.is_deployed else []
        return WebhookSources.from_settings(allowed, addresses)

    @provide(scope=Scope.APP)
    def upload_limits(self, settings: Settings) -> UploadLimits:
        return UploadLimits(settings.max_upload_bytes)

    @provide(scope=Scope.APP)
    def readiness_checks(
        self, settings: Settings, engine: AsyncEngine, content: ContentAddressedStore
    ) -> ReadinessChecks:
        checks: list[DependencyCheck] = [DatabaseCheck(engine)]
        if settings.queue == "redis" and settings.redis_url:
            checks.append(RedisCheck(settings.redis_url))
        return ReadinessChecks(checks + ipfs_checks(content))
