"""RFC 9457 problem details for every error the API can answer."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from artmarket.application.errors import NotAuthenticated, RateLimited, StorageUnavailable
from artmarket.application.media import UnsupportedImage
from artmarket.application.minting.content import ContentUnavailable
from artmarket.application.minting.ledger import LedgerError, LedgerUnavailable
from artmarket.application.payments.ports import (
    InvalidWebhookSignature,
    MalformedWebhook,
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
    PaymentRequestRejected,
)
from artmarket.domain.errors import Conflict, DomainError, InvalidValue, NotAllowed, NotFound
from artmarket.domain.identity import AccountSuspended, InvalidCredentials, RefreshTokenRejected

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://artmarket.dev/problems/"

log = structlog.get_logger("artmarket.http")

#: Domain and application errors to HTTP statuses; the most specific class wins (MRO order).
STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidValue: 422,
    NotFound: 404,
    Conflict: 409,
    AccountSuspended: 403,
    NotAllowed: 403,
    NotAuthenticated: 401,
    InvalidCredentials: 401,
    RefreshTokenRejected: 401,
    RateLimited: 429,
    StorageUnavailable: 503,
    UnsupportedImage: 415,
    InvalidWebhookSignature: 401,
    MalformedWebhook: 400,
    PaymentGatewayUnavailable: 503,
    PaymentGatewayMisconfigured: 503,
    PaymentRequestRejected: 502,
    LedgerError: 502,
    LedgerUnavailable: 503,
    ContentUnavailable: 503,
}

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class FieldProblem(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


def register_status(error: type[DomainError], status: int) -> None:
    """Let a feature map its own errors (e.g. 415 for an unsupported image)."""
    STATUS_BY_ERROR[error] = status


def problem_response(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    title = _TITLES.get(status, "Error")
    body = Problem(
        type=PROBLEM_TYPE_BASE + (slug or title.lower().replace(" ", "-")),
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=errors,
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_for(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def _slug(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def on_domain_error(request: Request[Any, Any, Any], error: DomainError) -> Response[Problem]:
    status = status_for(error)
    headers: dict[str, str] = {}
    if isinstance(error, RateLimited) or (isinstance(error, PaymentGatewayUnavailable) and error.retry_after):
        headers["Retry-After"] = str(error.retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="artmarket"'
    location = getattr(error, "location", error.field)
    errors = [FieldProblem(location, error.message)] if location else None
    return problem_response(
        request, status, error.message, slug=_slug(type(error).__name__), errors=errors, headers=headers
    )


_AT_PATH = re.compile(r"\s*-\s*at\s*`\$(?:\.)?(?P<path>[^`]*)`")


def on_validation_error(request: Request[Any, Any, Any], error: ValidationException) -> Response[Problem]:
    errors = []
    for item in error.extra if isinstance(error.extra, list) else []:
        message = str(item.get("message", "")) if isinstance(item, dict) else str(item)
        key = item.get("key") if isinstance(item, dict) else None
        match = _AT_PATH.search(message)
        field = match.group("path") if match and match.group("path") else key or "body"
        errors.append(FieldProblem(field=str(field), message=_AT_PATH.sub("", message) or "Invalid value"))
    if not errors:
        errors.append(FieldProblem(field="body", message=error.detail or "Invalid request"))
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem_response(request, 400, detail, slug="validation-failed", errors=errors)


def on_http_exception(request: Request[Any, Any, Any], error: HTTPException) -> Response[Problem]:
    headers = dict(error.headers or {})
    if error.status_code == 429 and "Retry-After" not in headers:
        reset = headers.get("RateLimit-Reset")
        headers["Retry-After"] = reset or "60"
    errors = [FieldProblem("body", str(error.detail))] if error.status_code == 400 else None
    return problem_response(
        request, error.status_code, str(error.detail), errors=errors, headers=headers or None
    )


def on_unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Problem]:
    log.exception("unhandled error", path=request.url.path, error_type=type(error).__name__)
    return problem_response(
        request, 500, "Something went wrong on our side; quote the request id when you report it."
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: on_domain_error,
    ValidationException: on_validation_error,
    HTTPException: on_http_exception,
    Exception: on_unexpected_error,
}

__all__ = ["EXCEPTION_HANDLERS", "PROBLEM_JSON", "Problem", "problem_response", "register_status"]
