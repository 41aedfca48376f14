"""`/metrics`: this process's Prometheus metrics and the business gauges, outside /api/v1.

Served to the scraper on the internal network; the public proxy (deploy/caddy/Caddyfile)
answers 404 for it. HTTP request metrics are recorded by `EdgeMiddleware`.
"""

from __future__ import annotations

import structlog
from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, get

from artmarket.adapters.observability.metrics import CONTENT_TYPE, MetricsExposition
from artmarket.application.observability import OperationsSnapshot, ReadOperationsSnapshot

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
