"""Domain errors: each names a business rule that was broken."""

from __future__ import annotations

from typing import ClassVar, Self


class DomainError(Exception):
    """A business rule was broken; the message is safe to show to the caller.

    The message is a template with `{name}` fields filled from `params`
    (`NotYetAvailable("On sale from {start:%d %b %Y}.", start=when)`): `message` is the English
    text (what `str()` and the API say), while a page translates `template` and fills it with
    the same `params`. The template is the catalog's message id, so it is always a literal.
    """

    default_message: ClassVar[str] = "A business rule was broken."
    #: The input field the error is about, when there is one.
    field: ClassVar[str | None] = None

    def __init__(self, message: str | None = None, *, field: str | None = None, **params: object) -> None:
        self.template = message or self.default_message
        self.params = params
        # Without params the template is the text as written (braces and all).
        self.message = self.template.format(**params) if params else self.template
        #: Where in the input the problem is: the class's `field`, or a more precise path
        #: (`delivery_address.country`) given by the raiser or added with `under`.
        self.location = field if field is not None else self.field
        super().__init__(self.message)

    def under(self, prefix: str) -> Self:
        """Locate the error inside the input object `prefix` (`country` → `delivery_address.country`)."""
        self.location = f"{prefix}.{self.location}" if self.location else prefix
        return self


class Phrase(str):
    """An English sentence given as a template's value (a reason, a hint) that a page translates
    too: the API says it as it is, a French page in French."""


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
