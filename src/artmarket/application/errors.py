"""Errors raised by use cases and adapters that are not business rules."""

from __future__ import annotations

from artmarket.domain.errors import Conflict, DomainError


class NotAuthenticated(DomainError):
    """No credentials, or credentials that do not prove who the caller is (401)."""

    default_message = "Authentication is required."


class RateLimited(DomainError):
    """Too many attempts (429): try again after `retry_after` seconds."""

    default_message = "Too many attempts; try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class StorageUnavailable(DomainError):
    """The database failed for a reason that is not the caller's fault (503)."""

    default_message = "The service is temporarily unavailable."


class ConcurrentUpdate(Conflict):
    """Someone else changed the same object first (409); reload and try again."""

    default_message = "Someone else changed this at the same time; try again."
