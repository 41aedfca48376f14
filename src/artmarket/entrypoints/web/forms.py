"""Forms: what the user typed, and the errors beside the fields they belong to.

The pages call the same use cases as the API, so a bad value raises the same `DomainError`
(with its `field`) that the API turns into a problem's `errors: [{field, message}]`. Here it
becomes `form.errors[field]`, shown beside that field by the `field` macro, and the page is
rendered again with the values kept (passwords excepted) and status 422 (or the API's status).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from litestar import Request

from artmarket.application.i18n import gettext as _
from artmarket.application.i18n import ngettext
from artmarket.domain.errors import DomainError, InvalidValue
from artmarket.entrypoints.http.problems import status_for
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.sessions import CSRF_FIELD

#: Values never sent back into a page.
SECRET_FIELDS = frozenset({"password", "password_again", "current_password", "new_password", CSRF_FIELD})


class FieldInvalid(InvalidValue):
    """A form value the page itself could not read (a number that is not one, a missing choice).

    `message` is English, as with every domain error: pages show it translated (`error_text`).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        # Per instance here: the form field the page could not read (a class-wide ClassVar elsewhere).
        self.field = field  # type: ignore[misc]


@dataclass
class Form:
    """The values a user sent and the errors found in them.

    `errors` maps a field name to its message; `error` is the message for the form as a
    whole (shown in the summary at the top). `status` is what the page answers with.
    """

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    status: int = 200

    @classmethod
    async def read(cls, request: Request[Any, Any, Any]) -> Form:
        """The submitted text fields (files are read by the handler from `request.form()`)."""
        data = await request.form()
        values = {
            key: value.strip() if key not in SECRET_FIELDS else value
            for key, value in data.items()
            if isinstance(value, str) and key != CSRF_FIELD
        }
        return cls(values)

    @classmethod
    def from_query(cls, request: Request[Any, Any, Any]) -> Form:
        """A GET form (filters): its values are the query parameters."""
        return cls({key: value.strip() for key, value in request.query_params.items()})

    @property
    def ok(self) -> bool:
        return not self.errors and self.error is None

    def get(self, name: str, default: str = "") -> str:
        """What the user typed for `name` (never a secret)."""
        if name in SECRET_FIELDS:
            return ""
        return self.values.get(name, default)

    def raw(self, name: str) -> str:
        """The submitted value, secrets included (for the handler, never the template)."""
        return self.values.get(name, "")

    def checked(self, name: str, value: str = "on") -> bool:
        return self.values.get(name) == value

    def fail(self, error: DomainError, *, fields: Mapping[str, str] | None = None) -> Form:
        """Record `error`, in the page's language, beside its field (renamed by `fields`, API name →
        form name), or for the whole form when it names no field; the status is the one the API
        answers with."""
        # `location` is the precise path (`delivery_address.country`) where the class's `field` is not.
        name = getattr(error, "location", None) or error.field
        if name is not None:
            name = (fields or {}).get(name, name)
            self.errors.setdefault(name, error_text(error))
        else:
            self.error = error_text(error)
        self.status = status_for(error)
        return self

    def add_error(self, name: str, message: str, status: int = 422) -> Form:
        """Record `message` (already in the page's language) beside the field `name`."""
        self.errors.setdefault(name, message)
        self.status = status
        return self

    def require(self, *names: str, message: str | None = None) -> Form:
        """Each of `names` must be filled in; `message` (translated by the caller) replaces the usual one."""
        for name in names:
            if not self.raw(name):
                self.add_error(name, message or _("This field is required."))
        return self

    def integer(self, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
        """The field as a whole number, None when empty; a bad value is recorded and read as None."""
        text = self.raw(name).replace(",", "").replace(" ", "")
        if not text:
            return None
        if not re.fullmatch(r"-?\d{1,15}", text):
            self.add_error(name, _("Enter a whole number."))
            return None
        number = int(text)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.add_error(
                name,
                _("Enter a number from %(minimum)s to %(maximum)s.")
                % {"minimum": minimum, "maximum": maximum},
            )
            return None
        return number

    def amount(self, name: str, *, exponent: int = 2) -> int | None:
        """A price typed in major units (`25,000.50`) as integer minor units; None when empty."""
        text = self.raw(name).replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            major = Decimal(text)
        except InvalidOperation:
            self.add_error(name, _("Enter an amount such as 25000 or 25000.50."))
            return None
        minor = major.scaleb(exponent)
        if not major.is_finite() or major < 0 or minor != minor.to_integral_value() or minor >= 10**13:
            self.add_error(
                name,
                ngettext(
                    "Enter an amount of at most %(num)d decimal place.",
                    "Enter an amount of at most %(num)d decimal places.",
                    exponent,
                )
                % {"num": exponent},
            )
            return None
        return int(minor)

    def choice(self, name: str, options: Iterable[str], *, required: bool = False) -> str | None:
        value = self.raw(name)
        if not value:
            if required:
                self.add_error(name, _("Choose one."))
            return None
        if value not in set(options):
            self.add_error(name, _("Choose one of the options."))
            return None
        return value
