"""The unit of work: one transaction over every repository a use case touches."""

from __future__ import annotations

from abc import abstractmethod
from types import TracebackType
from typing import Any, Protocol, Self

from artmarket.application.audit import AuditLog
from artmarket.application.catalog.ports import (
    ArtistProfileRepository,
    ArtworkRepository,
    FavoriteRepository,
    KycCaseRepository,
)
from artmarket.application.checkout.ports import OrderRepository
from artmarket.application.identity.ports import (
    AccountTokenRepository,
    TokenFamilyRepository,
    UserRepository,
)
from artmarket.application.messaging import OutboxRepository
from artmarket.application.minting.ports import (
    CertificateRepository,
    LeaseRepository,
    LedgerTaskRepository,
    MintJobRepository,
    ProvenanceRepository,
)
from artmarket.application.notifications.ports import EmailDeliveryRepository
from artmarket.application.payments.records import PaymentEventRepository, PayoutAccountRepository
from artmarket.application.shipping.ports import SavedAddressRepository, ShipmentRepository


class _OpenedRepository:
    """A repository attribute of a unit of work: set when the work begins, refused before."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        try:
            return vars(instance)[self._name]
        except KeyError:
            raise RuntimeError("Use the unit of work inside `async with`.") from None

    def __set__(self, instance: object, value: object) -> None:
        vars(instance)[self._name] = value


def _opened() -> Any:
    # Typed `Any` so each attribute below keeps its declared repository type; being assigned, the
    # attributes are not abstract, so implementations subclass this port and inherit them typed.
    return _OpenedRepository()


class UnitOfWork(Protocol):
    """Transactional: nothing is kept unless `commit()` is awaited inside `async with`.

    Leaving the block without a commit rolls everything back. `commit()` raises the
    domain error for a broken uniqueness rule (e.g. `EmailAlreadyRegistered`, or
    `ArtworkNotAvailable` for a second live order of one artwork) and `ConcurrentUpdate`
    when another transaction changed the same object first.

    Adding a repository: declare it here, register its factory in each implementation's
    `REPOSITORIES` (docs/architecture.md, "Adding a repository").
    """

    users: UserRepository = _opened()
    token_families: TokenFamilyRepository = _opened()
    artist_profiles: ArtistProfileRepository = _opened()
    kyc_cases: KycCaseRepository = _opened()
    artworks: ArtworkRepository = _opened()
    favorites: FavoriteRepository = _opened()
    orders: OrderRepository = _opened()
    payment_events: PaymentEventRepository = _opened()
    payout_accounts: PayoutAccountRepository = _opened()
    outbox: OutboxRepository = _opened()
    account_tokens: AccountTokenRepository = _opened()
    email_deliveries: EmailDeliveryRepository = _opened()
    mint_jobs: MintJobRepository = _opened()
    certificates: CertificateRepository = _opened()
    provenance: ProvenanceRepository = _opened()
    ledger_tasks: LedgerTaskRepository = _opened()
    leases: LeaseRepository = _opened()
    audit_log: AuditLog = _opened()
    shipments: ShipmentRepository = _opened()
    saved_addresses: SavedAddressRepository = _opened()

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
