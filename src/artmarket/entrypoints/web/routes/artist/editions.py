"""The studio's page of a limited edition's sales: every number and who holds it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.dashboards.editions import PrintState, ShowEditionSales
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.studio import ARTIST
from artmarket.entrypoints.web.sessions import require_principal


@get("/artist/artworks/{artwork_id:uuid}/editions", name="artist-artwork-editions", guards=[ARTIST])
@inject
async def edition_sales(
    request: Request[Any, Any, Any], artwork_id: FromPath[UUID], show: FromDishka[ShowEditionSales]
) -> Template | Redirect:
    """Numbers 1..size: free, reserved, sold to a buyer, retired after a refund (a unique work has none)."""
    sales = await show(await require_principal(request), artwork_id)
    if sales is None:
        return Redirect(f"/artist/artworks/{artwork_id}", status_code=303)
    counts = {state.value: sales.count(state) for state in PrintState}
    return await render(request, "artist/artwork_editions.html", {"sales": sales, "counts": counts})


ROUTES: list[Any] = [edition_sales]
