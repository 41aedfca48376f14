"""The SQLAlchemy unit of work: one session, hence one transaction, per `async with`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from artmarket.adapters.persistence.audit_log import SqlAlchemyAuditLog
from artmarket.adapters.persistence.catalog_repositories import (
    SqlAlchemyArtistProfileRepository,
    SqlAlchemyArtworkRepository,
    SqlAlchemyFavoriteRepository,
    SqlAlchemyKycCaseRepository,
)
from artmarket.adapters.persistence.certificate_life_repositories import (
    SqlAlchemyLedgerTaskRepository,
    SqlAlchemyProvenanceRepository,
)
from artmarket.adapters.persistence.checkout_repositories import (
    SqlAlchemyOrderRepository,
    SqlAlchemyOutboxRepository,
    SqlAlchemyPaymentEventRepository,
    SqlAlchemyPayoutAccountRepository,
)
from artmarket.adapters.persistence.errors import CONSTRAINT_TO_ERROR, translate
from artmarket.adapters.persistence.minting_repositories import (
    SqlAlchemyCertificateRepository,
    SqlAlchemyLeaseRepository,
    SqlAlchemyMintJobRepository,
)
from artmarket.adapters.persistence.notification_repositories import (
    SqlAlchemyAccountTokenRepository,
    SqlAlchemyEmailDeliveryRepository,
)
from artmarket.adapters.persistence.repositories import (
    SqlAlchemyTokenFamilyRepository,
    SqlAlchemyUserRepository,
)
from artmarket.adapters.persistence.shipping_repositories import (
    SqlAlchemySavedAddressRepository,
    SqlAlchemyShipmentRepository,
)
from artmarket.application.errors import StorageUnavailable
from artmarket.application.unit_of_work import UnitOfWork

__all__ = ["CONSTRAINT_TO_ERROR", "REPOSITORIES", "SqlAlchemyUnitOfWork"]

#: Every repository of the unit of work, by its attribute on `UnitOfWork`, built on the
#: transaction's session. Adding a repository: declare it on `UnitOfWork`, add it here.
REPOSITORIES: Mapping[str, Callable[[AsyncSession], object]] = {
    "users": SqlAlchemyUserRepository,
    "token_families": SqlAlchemyTokenFamilyRepository,
    "artist_profiles": SqlAlchemyArtistProfileRepository,
    "kyc_cases": SqlAlchemyKycCaseRepository,
    "artworks": SqlAlchemyArtworkRepository,
    "favorites": SqlAlchemyFavoriteRepository,
    "orders": SqlAlchemyOrderRepository,
    "payment_events": SqlAlchemyPaymentEventRepository,
    "payout_accounts": SqlAlchemyPayoutAccountRepository,
    "outbox": SqlAlchemyOutboxRepository,
    "account_tokens": SqlAlchemyAccountTokenRepository,
    "email_deliveries": SqlAlchemyEmailDeliveryRepository,
    "mint_jobs": SqlAlchemyMintJobRepository,
    "certificates": SqlAlchemyCertificateRepository,
    "provenance": SqlAlchemyProvenanceRepository,
    "ledger_tasks": SqlAlchemyLedgerTaskRepository,
    "leases": SqlAlchemyLeaseRepository,
    "audit_log": SqlAlchemyAuditLog,
    "shipments": SqlAlchemyShipmentRepository,
    "saved_addresses": SqlAlchemySavedAddressRepository,
}


@runtime_checkable
class BufferedWrites(Protocol):
    """A repository that holds writes back until the commit (the audit log batches its rows)."""

    async def flush(self) -> None: ...


class SqlAlchemyUnitOfWork(UnitOfWork):
    """Transactional: nothing is kept unless `commit()` is awaited inside `async with`.

    Each `async with` opens a new session, so one object can be entered again and again
    (one after the other, never nested). Leaving the block rolls back whatever was not
    committed. `commit()` raises the domain error of a violated constraint (by name, e.g.
    `ArtworkNotAvailable` for a second live order of one artwork), `RefreshTokenRejected`
    when a token family was changed concurrently, `ConcurrentUpdate` when an artwork, an
    order, a KYC case, an account token, an email delivery, a mint job or a shipment was, and
    `StorageUnavailable` for any other database failure; the session is then rolled back.
    """

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("This unit of work is already open; nested `async with` is not supported.")
        self._session = session = self._session_factory()
        for name, build in REPOSITORIES.items():
            setattr(self, name, build(session))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._require_session(), None
        try:
            # Closing rolls back the connection's open transaction without expiring the
            # objects, so what a use case read stays readable after the block.
            await session.close()
        except DBAPIError as error:
            if exc is None:  # never hide the error that is already on its way out
                raise StorageUnavailable() from error

    async def commit(self) -> None:
        session = self._require_session()
        try:
            for repository in (getattr(self, name) for name in REPOSITORIES):
                if isinstance(repository, BufferedWrites):
                    await repository.flush()
            await session.commit()
        except Exception as error:
            translated = translate(error)
            with suppress(DBAPIError):  # the connection is gone; the translated error says so
                await session.rollback()
            if translated is error:
                raise
            raise translated from error

    def _require_session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._session
