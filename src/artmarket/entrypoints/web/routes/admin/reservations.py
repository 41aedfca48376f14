"""The console's reservations page: who holds the catalogue's unpaid orders (ListReservationHolders)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.response import Template

from artmarket.application.admin.reservations import ListReservationHolders
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.admin.console import ADMIN


@get("/admin/reservations", name="admin-reservations", guards=[ADMIN])
@inject
async def reservations(
    request: Request[Any, Any, Any], list_holders: FromDishka[ListReservationHolders]
) -> Template:
    return await render(request, "admin/reservations.html", {"holders": await list_holders()})


ROUTES: list[Any] = [reservations]
