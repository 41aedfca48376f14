"""The container: every provider, in order (later providers override earlier ones)."""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container
from dishka.integrations.litestar import LitestarProvider

from artmarket.bootstrap.adapters import (
    ContentAddressingProvider,
    InfrastructureProvider,
    LedgerProvider,
    MailProvider,
    MediaProvider,
    ObservabilityProvider,
    PaymentsProvider,
    PersistenceProvider,
)
from artmarket.bootstrap.certificate_life import CertificateLifeProvider
from artmarket.bootstrap.documents import DocumentsProvider
from artmarket.bootstrap.http import HttpProvider
from artmarket.bootstrap.messaging import MessagingProvider
from artmarket.bootstrap.use_cases import (
    AdminProvider,
    CatalogProvider,
    CheckoutProvider,
    DeliveryProvider,
    IdentityProvider,
    MintingProvider,
    NotificationsProvider,
    OperationsProvider,
)
from artmarket.entrypoints.http.auth import PrincipalProvider
from artmarket.settings import Settings


def core_providers() -> list[Provider]:
    """Every process's providers: the adapters, then the use cases; the instrumentation last."""
    return [
        InfrastructureProvider(),
        ContentAddressingProvider(),
        PersistenceProvider(),
        MediaProvider(),
        PaymentsProvider(),
        LedgerProvider(),
        MailProvider(),
        HttpProvider(),
        IdentityProvider(),
        CatalogProvider(),
        CheckoutProvider(),
        NotificationsProvider(),
        MintingProvider(),
        CertificateLifeProvider(),
        DocumentsProvider(),
        AdminProvider(),
        MessagingProvider(),
        DeliveryProvider(),
        OperationsProvider(),
        ObservabilityProvider(),
    ]


def make_container(settings: Settings, *overrides: Provider, http: bool = False) -> AsyncContainer:
    """The container for one process; later providers override earlier ones."""
    extra: list[Provider] = [LitestarProvider(), PrincipalProvider()] if http else []
    return make_async_container(*core_providers(), *extra, *overrides, context={Settings: settings})
