"""The in-memory unit of work: the same contract as `SqlAlchemyUnitOfWork`, over an `InMemoryDatabase`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Self

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.fakes.persistence.audit import InMemoryAuditLog
from artmarket.fakes.persistence.catalog import (
    InMemoryArtistProfileRepository,
    InMemoryArtworkRepository,
    InMemoryFavoriteRepository,
    InMemoryKycCaseRepository,
)
from artmarket.fakes.persistence.certificate_life import (
    InMemoryLedgerTaskRepository,
    InMemoryProvenanceRepository,
)
from artmarket.fakes.persistence.checkout import (
    InMemoryOrderRepository,
    InMemoryOutboxRepository,
    InMemoryPaymentEventRepository,
    InMemoryPayoutAccountRepository,
)
from artmarket.fakes.persistence.commit import Commit
from artmarket.fakes.persistence.database import InMemoryDatabase, Workspace
from artmarket.fakes.persistence.identity import InMemoryTokenFamilyRepository, InMemoryUserRepository
from artmarket.fakes.persistence.minting import (
    InMemoryCertificateRepository,
    InMemoryLeaseRepository,
    InMemoryMintJobRepository,
)
from artmarket.fakes.persistence.notifications import (
    InMemoryAccountTokenRepository,
    InMemoryEmailDeliveryRepository,
)
from artmarket.fakes.persistence.shipping import InMemorySavedAddressRepository, InMemoryShipmentRepository

#: Every repository of the unit of work, by its attribute on `UnitOfWork`, built on the
#: transaction's workspace (the mirror of the SQL unit of work's `REPOSITORIES`).
REPOSITORIES: Mapping[str, Callable[[Workspace], object]] = {
    "users": InMemoryUserRepository,
    "token_families": InMemoryTokenFamilyRepository,
    "artist_profiles": InMemoryArtistProfileRepository,
    "kyc_cases": InMemoryKycCaseRepository,
    "artworks": InMemoryArtworkRepository,
    "favorites": InMemoryFavoriteRepository,
    "orders": InMemoryOrderRepository,
    "payment_events": InMemoryPaymentEventRepository,
    "payout_accounts": InMemoryPayoutAccountRepository,
    "outbox": InMemoryOutboxRepository,
    "account_tokens": InMemoryAccountTokenRepository,
    "email_deliveries": InMemoryEmailDeliveryRepository,
    "mint_jobs": InMemoryMintJobRepository,
    "certificates": InMemoryCertificateRepository,
    "provenance": InMemoryProvenanceRepository,
    "ledger_tasks": InMemoryLedgerTaskRepository,
    "leases": InMemoryLeaseRepository,
    "audit_log": InMemoryAuditLog,
    "shipments": InMemoryShipmentRepository,
    "saved_addresses": InMemorySavedAddressRepository,
}


class InMemoryUnitOfWork(UnitOfWork):
    """Same contract as `SqlAlchemyUnitOfWork`; `committed` tells tests a commit succeeded."""

    def __init__(self, db: InMemoryDatabase | None = None) -> None:
        self.db = db if db is not None else InMemoryDatabase()
        #: True once any commit of this unit of work succeeded.
        self.committed = False
        self._work: Workspace | None = None

    async def __aenter__(self) -> Self:
        if self._work is not None:
            raise RuntimeError("This unit of work is already open; nested `async with` is not supported.")
        self._begin()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._work = None

    async def commit(self) -> None:
        work = self._require_work()
        try:
            Commit(self.db, work).publish()
        except Exception:
            self._begin()  # like a rollback: the block goes on from the committed state
            raise
        self.db.commits += 1
        self.committed = True
        # Like a session after commit: the same objects stay in use, now matching the database.
        work.rebase(self.db)

    def _begin(self) -> None:
        self._work = work = Workspace(self.db)
        for name, build in REPOSITORIES.items():
            setattr(self, name, build(work))

    def _require_work(self) -> Workspace:
        if self._work is None:
            raise RuntimeError("Use the unit of work inside `async with`.")
        return self._work
