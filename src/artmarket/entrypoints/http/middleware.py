"""One ASGI middleware for what every response needs: request id, security headers, access log."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from artmarket.adapters.observability.tracing import name_server_span, trace_ids

log = structlog.get_logger("artmarket.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STRICT_CSP = (
    "default-src 'self'; img-src 'self' data: https:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI needs an inline bootstrap script and inline styles; it is served from our own files.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class EdgeMiddleware:
    """Accepts or creates `X-Request-ID`, adds security headers and logs one line per request."""

    def __init__(self, app: ASGIApp, *, production: bool, docs_prefix: str = "/api/docs") -> None:
        self.app = app
        self.production = production
        self.docs_prefix = docs_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})  # type: ignore[typeddict-item]
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        headers = self._headers(scope["path"], request_id)
        traced: dict[str, str] = {}

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *headers]
                # Inside the server span (when traced): name it after the route, note its ids.
                name_server_span(scope["method"], scope.get("path_template"))  # type: ignore[typeddict-item]
                traced.update(trace_ids())
            await send(message)

        try:
            # Every log line written while handling the request names it.
            with structlog.contextvars.bound_contextvars(request_id=request_id):
                await self.app(scope, receive, send_with_headers)
        finally:
            route = scope.get("path_template") or scope["path"]  # type: ignore[typeddict-item]
            log.info(
                "request",
                method=scope["method"],
                route=route,
                path=scope["path"],
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                request_id=request_id,
                user_id=state.get("user_id"),
                **traced,
            )

    def _headers(self, path: str, request_id: str) -> list[tuple[bytes, bytes]]:
        csp = DOCS_CSP if path.startswith(self.docs_prefix) else STRICT_CSP
        headers = [
            (b"x-request-id", request_id.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"content-security-policy", csp.encode()),
        ]
        if self.production:
            headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        return headers


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None
