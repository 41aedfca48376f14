"""The unit of work: one transaction over every repository a use case touches."""

from __future__ import annotations

from abc import abstractmethod
from types import TracebackType
from typing import Protocol, Self

from artmarket.application.identity.ports import TokenFamilyRepository, UserRepository


class UnitOfWork(Protocol):
    """Transactional: nothing is kept unless `commit()` is awaited inside `async with`.

    Leaving the block without a commit rolls everything back. `commit()` raises the
    domain error for a broken uniqueness rule (e.g. `EmailAlreadyRegistered`).
    """

    users: UserRepository
    token_families: TokenFamilyRepository

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
