"""One ASGI middleware for what every response needs: request id, security headers, metrics, access log."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from artmarket.adapters.observability.metrics import HttpMetrics
from artmarket.adapters.observability.tracing import name_server_span, trace_ids
from artmarket.entrypoints.http.network import ClientAddresses

log = structlog.get_logger("artmarket.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STRICT_CSP = (
    "default-src 'self'; img-src 'self' data: https:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_IMAGE_SOURCES = "img-src 'self' data: https:"
# Swagger UI needs an inline bootstrap script and inline styles; it is served from our own files.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
API_PATHS = "/api/v1/"
NO_STORE = (b"cache-control", b"no-store")


class EdgeMiddleware:
    """Accepts or creates `X-Request-ID`, adds security headers, counts and logs each request.

    Metrics are recorded per matched route template; `/metrics` scrapes and URLs no route
    matched are not counted (their paths are unbounded). The log line names the client as
    `addresses` resolves it (forwarded headers only from trusted proxies).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        deployed: bool,
        addresses: ClientAddresses,
        metrics: HttpMetrics | None = None,
        docs_prefix: str = "/api/docs",
        image_origin: str | None = None,
        connect_origin: str | None = None,
    ) -> None:
        self.app = app
        self.deployed = deployed
        self.addresses = addresses
        self.metrics = metrics
        self.docs_prefix = docs_prefix
        # Images on a plain-http origin (development's media on 127.0.0.1:<port>) are allowed by
        # name: the page may be open under another name for the same server (localhost, a LAN IP).
        strict = (
            STRICT_CSP.replace(_IMAGE_SOURCES, f"{_IMAGE_SOURCES} {image_origin}")
            if image_origin is not None
            else STRICT_CSP
        )
        # The certificate page's independent check asks the mirror node from the browser.
        self.strict_csp = f"{strict}; connect-src 'self' {connect_origin}" if connect_origin else strict

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        headers = self._headers(scope["path"], request_id)
        api = scope["path"].startswith(API_PATHS)
        credentials = _header(scope, b"authorization") is not None
        traced: dict[str, str] = {}
        method = scope["method"]
        in_progress = self.metrics.in_progress(method) if self.metrics is not None else None

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                answer = list(message.get("headers", []))
                # API answers are never stored unless public (ADR 0021).
                if api and not _storable(answer, credentials=credentials):
                    answer = [(k, v) for k, v in answer if k.lower() != b"cache-control"] + [NO_STORE]
                message["headers"] = [*answer, *headers]
                # Inside the server span (when traced): name it after the route, note its ids.
                name_server_span(method, scope.get("path_template"))
                traced.update(trace_ids())
            await send(message)

        # Every log line written while handling the request names it.
        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        if in_progress is not None:
            in_progress.inc()
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            structlog.contextvars.reset_contextvars(**bound)
            duration = time.perf_counter() - started
            template: str | None = scope.get("path_template")
            if in_progress is not None:
                in_progress.dec()
            if self.metrics is not None and template is not None and scope["path"] != "/metrics":
                self.metrics.observe(method, template, status, duration)
            client = self.addresses.of_scope(scope)
            log.info(
                "request",
                client=str(client) if client is not None else None,
                method=method,
                route=template or scope["path"],
                path=scope["path"],
                status=status,
                duration_ms=round(duration * 1000, 2),
                request_id=request_id,
                user_id=state.get("user_id"),
                **traced,
            )

    def _headers(self, path: str, request_id: str) -> list[tuple[bytes, bytes]]:
        csp = DOCS_CSP if path.startswith(self.docs_prefix) else self.strict_csp
        headers = [
            (b"x-request-id", request_id.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"content-security-policy", csp.encode()),
        ]
        if self.deployed:
            headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        return headers


def _storable(headers: list[tuple[bytes, bytes]], *, credentials: bool) -> bool:
    """May a browser or shared cache keep this API answer?

    Only an answer its handler marked `public` (the gallery, certificates) to a request
    without credentials: an answer to a bearer token, or one that depends on who asks
    without saying so (tokens from sign-in, an order found by its reference), is never
    stored, so a shared computer or a proxy cannot hand it to the next person.
    """
    if credentials:
        return False
    controls = (v.decode("latin-1").lower() for k, v in headers if k.lower() == b"cache-control")
    return any("public" in (d.strip() for d in control.split(",")) for control in controls)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None
