"""The ledger as operators see it: its status, and creating the certificates' collection."""

from __future__ import annotations

from dataclasses import dataclass, field

from artmarket.application.minting.ledger import (
    Ledger,
)
from artmarket.application.minting.ledger_tasks import LedgerTaskPolicy
from artmarket.application.minting.work import MintPolicy
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import (
    MintJobStatus,
)
from artmarket.domain.ledger_tasks import TaskStatus


@dataclass(frozen=True, slots=True)
class LedgerStatus:
    network: str
    token_id: str | None
    jobs: dict[MintJobStatus, int]
    #: The provenance topic (None: trail messages wait for one) and the ledger tasks by status.
    topic_id: str | None = None
    tasks: dict[TaskStatus, int] = field(default_factory=dict)


class GetLedgerStatus:
    """The ledger in use, the collection and provenance topic, and mint jobs and ledger tasks by status."""

    def __init__(self, uow: UnitOfWork, ledger: Ledger, policy: MintPolicy, tasks: LedgerTaskPolicy) -> None:
        self._uow = uow
        self._ledger = ledger
        self._policy = policy
        self._tasks = tasks

    async def __call__(self) -> LedgerStatus:
        async with self._uow as uow:
            counts = await uow.mint_jobs.count_by_status()
            task_counts = await uow.ledger_tasks.count_by_status()
        return LedgerStatus(
            self._ledger.network, self._policy.token_id, counts, self._tasks.topic_id, task_counts
        )


class CreateCollection:
    """An operator creates the NFT collection certificates are minted into; its token id goes in settings."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def __call__(self, *, name: str, symbol: str, max_supply: int) -> str:
        return await self._ledger.create_collection(name=name, symbol=symbol, max_supply=max_supply)
