"""Friendly error pages for browsers; the API keeps its RFC 9457 problems.

The app-level exception handlers are wrapped: a request a browser made for a page (not
under `/api`, accepting HTML) gets the error page (404, 403, 500 with the request id, ...);
an HTMX request gets a short text answer that `app.js` shows as a toast; everyone else
gets the API's problem document, unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.http.problems import status_for
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.oversized_uploads import back_to_form
from artmarket.entrypoints.web.rendering import wants_fragment
from artmarket.entrypoints.web.sessions import LoginRequired, login_url, speak_as_asked, web_state

log = structlog.get_logger("artmarket.web")

Handler = Callable[[Request[Any, Any, Any], Any], Response[Any]]

_NOT_PAGES = ("/api/", "/api", "/health", "/ready", "/metrics", "/media/", "/static/")

TITLES = {
    400: N_("That request did not make sense"),
    401: N_("Please sign in"),
    403: N_("You cannot do that"),
    404: N_("We could not find that page"),
    405: N_("That is not allowed here"),
    409: N_("That clashes with something that just happened"),
    413: N_("That is too large"),
    415: N_("That kind of file is not accepted"),
    422: N_("Something needs correcting"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong on our side"),
    502: N_("A service we rely on answered badly"),
    503: N_("We are temporarily unavailable"),
}

MESSAGES = {
    404: N_("The page may have moved, or the link was mistyped."),
    500: N_(
        "It is not your fault. Please try again in a moment; if it keeps happening, "
        "tell us the request id below."
    ),
}


def is_page_request(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for one of our pages (or an HTMX fragment of one)."""
    path = request.url.path
    if path.startswith(_NOT_PAGES) or path in _NOT_PAGES:
        return False
    if wants_fragment(request):
        return True
    return "text/html" in request.headers.get("accept", "")


def error_page(request: Request[Any, Any, Any], status: int, message: str | None = None) -> Response[Any]:
    request_id = request.scope.get("state", {}).get("request_id", "")
    if "web" not in request.scope.get("state", {}):
        speak_as_asked(request)  # no page route matched: the session middleware did not run
    title = _(TITLES.get(status, N_("Something went wrong")))
    text = message or (_(MESSAGES[status]) if status in MESSAGES else title)
    if wants_fragment(request):
        # HTMX does not swap error answers; app.js shows this text in the toast area.
        return Response(
            text, status_code=status, media_type="text/plain", headers={"Cache-Control": "no-store"}
        )
    user = None
    state: dict[str, Any] = request.scope.get("state", {})
    principal = state.get("session_principal")
    if principal is not None:
        user = principal.user
    csrf = ""
    if "web" in state:
        csrf = web_state(request).csrf_token()
    return Template(
        template_name="errors/error.html",
        context={
            "status": status,
            "title": title,
            "message": text,
            "request_id": request_id,
            "user": user,
            "roles": {r.value for r in user.roles} if user is not None else set(),
            "csrf_token": csrf,
            "flash": None,
            "path": request.url.path,
            "htmx": False,
        },
        status_code=status,
        media_type="text/html",
        headers={"Cache-Control": "no-store"},
    )


def _page_answer(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    if isinstance(error, DomainError):
        status = status_for(error)
        if status == 401:
            return on_login_required(request, LoginRequired(request.url.path))
        return error_page(request, status, error_text(error) if status != 500 else None)
    if isinstance(error, HTTPException):
        status = error.status_code
        if status == 413 and (back := back_to_form(request)) is not None:
            return back
        detail = str(error.detail) if status not in (404, 500) else None
        return error_page(request, status, detail)
    log.exception("unhandled error on a page", path=request.url.path, error_type=type(error).__name__)
    return error_page(request, 500)


def on_login_required(request: Request[Any, Any, Any], error: LoginRequired) -> Response[Any]:
    target = login_url(error.next_url)
    if wants_fragment(request):
        return Response("", status_code=200, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def page_aware(api_handler: Handler) -> Handler:
    """`api_handler` for API requests, an error page for page requests."""

    def handler(request: Request[Any, Any, Any], error: Any) -> Response[Any]:
        if is_page_request(request):
            return _page_answer(request, error)
        return api_handler(request, error)

    handler.__name__ = f"page_aware_{getattr(api_handler, '__name__', 'handler')}"
    return handler


def exception_handlers(api_handlers: Mapping[Any, Handler]) -> dict[Any, Handler]:
    """The app's handlers: the API's, made page-aware, plus the login redirect."""
    handlers: dict[Any, Handler] = {key: page_aware(value) for key, value in api_handlers.items()}
    handlers[LoginRequired] = on_login_required
    return handlers
