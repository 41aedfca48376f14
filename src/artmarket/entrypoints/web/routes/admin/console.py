"""What every console page shares: the admin guard, the page size, the filters read from the
query, the way back to the listing an action came from, and how an action's form is handled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, Final, Protocol, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit
from uuid import UUID

from litestar import Request, Response
from litestar.response import Redirect

from artmarket.application.i18n import gettext as _
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import Role
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.formatting import label
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.sessions import page_requires_role, safe_next, web_state

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
ADMIN = page_requires_role(Role.ADMIN)
PAGE_SIZE: Final = 25


def here(request: Request[Any, Any, Any]) -> str:
    """This page's path and query, without a cursor: where an action comes back to."""
    query = [(k, v) for k, v in request.query_params.items() if k != "cursor"]
    return request.url.path + (f"?{urlencode(query)}" if query else "")


def with_cursor(request: Request[Any, Any, Any], cursor: str | None) -> str | None:
    """The URL of the next page of this listing."""
    if cursor is None:
        return None
    query = [(k, v) for k, v in request.query_params.items() if k != "cursor" and v]
    return f"{request.url.path}?{urlencode([*query, ('cursor', cursor)])}"


class Listed(Protocol[T_co]):
    """A page of a listing: its items and the cursor of the page after it."""

    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


async def list_page(
    request: Request[Any, Any, Any],
    form: Form,
    fetch: Callable[[str | None], Awaitable[Listed[T]]],
    *,
    fields: Mapping[str, str] | None = None,
) -> tuple[list[T], str | None]:
    """The page of a listing at the query's cursor and the next page's URL; a refused query (a bad
    filter or cursor) is shown beside its field on the page itself (200), with nothing listed."""
    try:
        page = await fetch(form.get("cursor") or None)
    except DomainError as error:
        form.fail(error, fields=fields)
        form.status = 200
        return [], None
    return list(page.items), with_cursor(request, page.next_cursor)


def back_query(form: Form, path: str) -> Form:
    """The filters of the listing an action was sent from (its `back` URL), as a GET form."""
    target = urlsplit(safe_next(form.get("back"), path))
    if target.path != path:
        return Form()
    return Form({k: v.strip() for k, v in parse_qsl(target.query) if k != "cursor"})


def redirect_back(request: Request[Any, Any, Any], form: Form, default: str, message: str) -> Redirect:
    web_state(request).flash(message)
    return Redirect(safe_next(form.get("back"), default), status_code=303)


async def act_on_form(
    request: Request[Any, Any, Any],
    action: Callable[[Form], Awaitable[T]],
    *,
    refused: Callable[[Form], Awaitable[Response[Any]]],
    back: str,
    done: str | Callable[[T], str],
    page: str | None,
    name: str = "form",
) -> Response[Any]:
    """Run a console action with its posted form (the admin's reason): back to the page it was
    sent from with `done`. Refused, the form is kept as `name` for `page` and the browser sent
    there (post/redirect/get; `page` None leaves that to `refused`), or, when it cannot be kept
    (a conflict is answered in place), `refused` renders the page again with the error."""
    form = await Form.read(request)
    try:
        result = await action(form)
    except DomainError as error:
        form.fail(error)
        if page is not None and (redirect := failed_forms.remember(request, form, page, name=name)):
            return redirect
        return await refused(form)
    return redirect_back(request, form, back, done(result) if callable(done) else done)


def query_uuid(form: Form, name: str) -> UUID | None:
    text = form.raw(name)
    if not text:
        return None
    try:
        return UUID(text)
    except ValueError:
        form.add_error(name, _("Enter an id such as 0192f0c4-…"), status=200)
        return None


def query_day(form: Form, name: str) -> date | None:
    text = form.raw(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        form.add_error(name, _("Enter a date as YYYY-MM-DD."), status=200)
        return None


def query_choice(form: Form, name: str, options: list[tuple[str, str]]) -> str | None:
    value = form.choice(name, [value for value, _ in options])
    if form.errors.get(name):
        form.status = 200  # a GET filter with a bad value: shown beside it, not an error page
    return value


def choices(values: Iterable[Enum]) -> list[tuple[str, str]]:
    """A select's options for `values`, each named in the page's language: built per request,
    as a list built at import time would stay in English."""
    return [(value.value, label(value)) for value in values]


def named(names: Mapping[str, str]) -> list[tuple[str, str]]:
    """A select's options for values named by `N_()` texts, translated for this request."""
    return [(value, _(name)) for value, name in names.items()]
