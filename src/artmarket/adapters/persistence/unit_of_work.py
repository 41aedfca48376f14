"""The SQLAlchemy unit of work: one session, hence one transaction, per `async with`."""

from __future__ import annotations

from contextlib import suppress
from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from artmarket.adapters.persistence.audit_log import SqlAlchemyAuditLog
from artmarket.adapters.persistence.catalog_repositories import (
    SqlAlchemyArtistProfileRepository,
    SqlAlchemyArtworkRepository,
    SqlAlchemyFavoriteRepository,
    SqlAlchemyKycCaseRepository,
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

__all__ = ["CONSTRAINT_TO_ERROR", "SqlAlchemyUnitOfWork"]


class SqlAlchemyUnitOfWork:
    """Transactional: nothing is kept unless `commit()` is awaited inside `async with`.

    Each `async with` opens a new session, so one object can be entered again and again
    (one after the other, never nested). Leaving the block rolls back whatever was not
    committed. `commit()` raises the domain error of a violated constraint (by name, e.g.
    `ArtworkNotAvailable` for a second live order of one artwork), `RefreshTokenRejected`
    when a token family was changed concurrently, `ConcurrentUpdate` when an artwork, an
    order, a KYC case, an account token, an email delivery, a mint job or a shipment was, and
    `StorageUnavailable` for any other database failure; the session is then rolled back.
    """

    users: SqlAlchemyUserRepository
    token_families: SqlAlchemyTokenFamilyRepository
    artist_profiles: SqlAlchemyArtistProfileRepository
    kyc_cases: SqlAlchemyKycCaseRepository
    artworks: SqlAlchemyArtworkRepository
    favorites: SqlAlchemyFavoriteRepository
    orders: SqlAlchemyOrderRepository
    payment_events: SqlAlchemyPaymentEventRepository
    payout_accounts: SqlAlchemyPayoutAccountRepository
    outbox: SqlAlchemyOutboxRepository
    account_tokens: SqlAlchemyAccountTokenRepository
    email_deliveries: SqlAlchemyEmailDeliveryRepository
    mint_jobs: SqlAlchemyMintJobRepository
    certificates: SqlAlchemyCertificateRepository
    leases: SqlAlchemyLeaseRepository
    audit_log: SqlAlchemyAuditLog
    shipments: SqlAlchemyShipmentRepository
    saved_addresses: SqlAlchemySavedAddressRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("This unit of work is already open; nested `async with` is not supported.")
        self._session = session = self._session_factory()
        self.users = SqlAlchemyUserRepository(session)
        self.token_families = SqlAlchemyTokenFamilyRepository(session)
        self.artist_profiles = SqlAlchemyArtistProfileRepository(session)
        self.kyc_cases = SqlAlchemyKycCaseRepository(session)
        self.artworks = SqlAlchemyArtworkRepository(session)
        self.favorites = SqlAlchemyFavoriteRepository(session)
        self.orders = SqlAlchemyOrderRepository(session)
        self.payment_events = SqlAlchemyPaymentEventRepository(session)
        self.payout_accounts = SqlAlchemyPayoutAccountRepository(session)
        self.outbox = SqlAlchemyOutboxRepository(session)
        self.account_tokens = SqlAlchemyAccountTokenRepository(session)
        self.email_deliveries = SqlAlchemyEmailDeliveryRepository(session)
        self.mint_jobs = SqlAlchemyMintJobRepository(session)
        self.certificates = SqlAlchemyCertificateRepository(session)
        self.leases = SqlAlchemyLeaseRepository(session)
        self.audit_log = SqlAlchemyAuditLog(session)
        self.shipments = SqlAlchemyShipmentRepository(session)
        self.saved_addresses = SqlAlchemySavedAddressRepository(session)
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
            await self.audit_log.flush()
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
