"""Domain errors: each names a business rule that was broken."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A business rule was broken; the message is safe to show to the caller."""

    default_message: ClassVar[str] = "A business rule was broken."
    #: The input field the error is about, when there is one.
    field: ClassVar[str | None] = None

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidValue(DomainError):
    """A value object refused its input (the entrypoint answers 422)."""

    default_message = "The value is not valid."


class NotFound(DomainError):
    """The object does not exist, or the caller may not see it."""

    default_message = "Not found."


class Conflict(DomainError):
    """The request clashes with the current state or with a uniqueness rule."""

    default_message = "The request conflicts with the current state."


class NotAllowed(DomainError):
    """The caller is known but may not do this."""

    default_message = "You are not allowed to do this."
