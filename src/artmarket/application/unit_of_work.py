"""The unit of work: one transaction over every repository a use case touches."""

from __future__ import annotations

from abc import abstractmethod
from types import TracebackType
from typing import Protocol, Self

from artmarket.application.audit import AuditLog
from artmarket.application.catalog.ports import (
    ArtistProfileRepository,
    ArtworkRepository,
    FavoriteRepository,
    KycCaseRepository,
)
from artmarket.application.checkout.ports import (
    OrderRepository,
    PaymentEventRepository,
    PayoutAccountRepository,
)
from artmarket.application.identity.ports import (
    AccountTokenRepository,
    TokenFamilyRepository,
    UserRepository,
)
from artmarket.application.messaging import OutboxRepository
from artmarket.application.minting.ports import CertificateRepository, LeaseRepository, MintJobRepository
from artmarket.application.notifications.ports import EmailDeliveryRepository
from artmarket.application.shipping.ports import SavedAddressRepository, ShipmentRepository


class UnitOfWork(Protocol):
    """Transactional: nothing is kept unless `commit()` is awaited inside `async with`.

    Leaving the block without a commit rolls everything back. `commit()` raises the
    domain error for a broken uniqueness rule (e.g. `EmailAlreadyRegistered`, or
    `ArtworkNotAvailable` for a second live order of one artwork) and `ConcurrentUpdate`
    when another transaction changed the same object first.
    """

    users: UserRepository
    token_families: TokenFamilyRepository
    artist_profiles: ArtistProfileRepository
    kyc_cases: KycCaseRepository
    artworks: ArtworkRepository
    favorites: FavoriteRepository
    orders: OrderRepository
    payment_events: PaymentEventRepository
    payout_accounts: PayoutAccountRepository
    outbox: OutboxRepository
    account_tokens: AccountTokenRepository
    email_deliveries: EmailDeliveryRepository
    mint_jobs: MintJobRepository
    certificates: CertificateRepository
    leases: LeaseRepository
    audit_log: AuditLog
    shipments: ShipmentRepository
    saved_addresses: SavedAddressRepository

    @abstractmethod
    async def __aenter__(self) -> Self: ...

    @abstractmethod
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    @abstractmethod
    async def commit(self) -> None: ...
