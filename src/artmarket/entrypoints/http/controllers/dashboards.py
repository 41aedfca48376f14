"""Dashboard routes: the artist's works, sales and revenue."""

from __future__ import annotations

from inspect import getdoc

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get

from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.principal import Principal
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.admin_schemas import ArtistDashboardOut
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role


class DashboardController(Controller):
    path = "/me/dashboard"
    tags = ["dashboards"]
    security = BEARER_SECURITY

    @get(
        "/artist",
        operation_id="artistDashboard",
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(ShowArtistDashboard),
    )
    @inject
    async def artist(
        self, principal: FromDishka[Principal], show: FromDishka[ShowArtistDashboard]
    ) -> ArtistDashboardOut:
        return ArtistDashboardOut.of(await show(principal))
