"""Liveness and readiness, outside /api/v1 so load balancers need no version."""

from __future__ import annotations

import asyncio

from dishka.integrations.litestar import FromDishka, inject
from litestar import Response, get

from artmarket.application.ports import DependencyCheck
from artmarket.entrypoints.http.schemas import Health

READINESS_TIMEOUT_SECONDS = 3.0


class ReadinessChecks(tuple[DependencyCheck, ...]):
    """The dependencies `/ready` asks, chosen by the composition root."""


@get("/health", operation_id="health", tags=["operations"], summary="Liveness: the process answers")
async def health() -> Health:
    return Health(status="ok")


@get("/ready", operation_id="ready", tags=["operations"], summary="Readiness: dependencies reachable")
@inject
async def ready(checks: FromDishka[ReadinessChecks]) -> Response[Health]:
    results: dict[str, str] = {}
    for check in checks:
        try:
            await asyncio.wait_for(check.check(), READINESS_TIMEOUT_SECONDS)
            results[check.name] = "ok"
        except Exception as error:  # any failure means "not ready"; the reason is shown
            results[check.name] = f"failing: {type(error).__name__}: {error}"[:200]
    healthy = all(v == "ok" for v in results.values())
    return Response(
        Health(status="ok" if healthy else "unavailable", checks=results), status_code=200 if healthy else 503
    )
