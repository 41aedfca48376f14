"""Liveness and readiness, outside /api/v1 so load balancers need no version."""

from __future__ import annotations

import asyncio
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get

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
async def ready(request: Request[Any, Any, Any], checks: FromDishka[ReadinessChecks]) -> Response[Health]:
    drain = request.app.state.get("drain")
    if drain is not None and drain.draining:
        # Shutting down (SIGTERM): load balancers must stop sending work here, first of all.
        return Response(Health(status="draining"), status_code=503)
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
