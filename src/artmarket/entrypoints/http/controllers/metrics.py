"""`/metrics`: this process's Prometheus metrics and the business gauges, outside /api/v1.

Served to the scraper on the internal network; the public proxy (deploy/caddy/Caddyfile)
answers 404 for it, but the app does not rely on that: with `ARTMARKET_METRICS_TOKEN` set
(always on deployed profiles) only a request presenting it as a bearer token is answered.
HTTP request metrics are recorded by `EdgeMiddleware`.
"""

from __future__ import annotations

import hmac
from typing import Any

import structlog
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, Router, get
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import ControllerRouterHandler

from artmarket.adapters.observability.metrics import CONTENT_TYPE, MetricsExposition
from artmarket.application.errors import NotAuthenticated
from artmarket.application.observability import OperationsSnapshot, ReadOperationsSnapshot
from artmarket.entrypoints.http.auth import bearer_token

log = structlog.get_logger("artmarket.metrics")


@get(
    "/metrics",
    operation_id="metrics",
    tags=["operations"],
    summary="Prometheus metrics of this process, and the business gauges",
    media_type=CONTENT_TYPE,
)
@inject
async def metrics(
    read: FromDishka[ReadOperationsSnapshot], exposition: FromDishka[MetricsExposition]
) -> Response[bytes]:
    snapshot: OperationsSnapshot | None
    try:
        snapshot = await read()
    except Exception as error:  # the database is away: report it, and still serve the process's metrics
        log.warning("business metrics unavailable", error=f"{type(error).__name__}: {error}"[:200])
        snapshot = None
    return Response(exposition.render(snapshot), media_type=CONTENT_TYPE)


def metrics_route(token: str | None) -> ControllerRouterHandler:
    """`/metrics`, open without a token (development), else only to the bearer of `token`."""
    if token is None:
        return metrics
    expected = token.encode()

    async def requires_metrics_token(
        connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
    ) -> None:
        if not hmac.compare_digest(bearer_token(connection).encode(), expected):
            raise NotAuthenticated("The metrics token is not valid.")

    return Router(path="/", route_handlers=[metrics], guards=[requires_metrics_token])
