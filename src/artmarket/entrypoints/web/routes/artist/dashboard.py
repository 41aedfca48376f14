"""The studio's dashboard: sales, revenue by month, the artist's works and identity check."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.response import Template

from artmarket.application.catalog.artworks import ListMyArtworks
from artmarket.application.catalog.kyc import ListMyKycCases
from artmarket.application.dashboards.use_cases import ShowArtistDashboard
from artmarket.application.media import ContentStore
from artmarket.domain.catalog import Artwork
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.studio import ARTIST
from artmarket.entrypoints.web.sessions import require_principal


@get("/artist", name="artist-dashboard", guards=[ARTIST])
@inject
async def dashboard(
    request: Request[Any, Any, Any],
    show: FromDishka[ShowArtistDashboard],
    mine: FromDishka[ListMyArtworks],
    kyc: FromDishka[ListMyKycCases],
    store: FromDishka[ContentStore],
) -> Template:
    principal = await require_principal(request)
    board = await show(principal)
    works = await mine(principal)
    cases = await kyc(principal)
    return await render(
        request,
        "artist/dashboard.html",
        {
            "board": board,
            "works": works,
            "thumbnails": _thumbnails(works, store),
            "kyc": cases[0] if cases else None,
            "months": sorted(
                (m for r in board.revenue for m in r.by_month),
                key=lambda m: (m.month, m.currency),
                reverse=True,
            ),
        },
    )


def _thumbnails(works: Sequence[Artwork], store: ContentStore) -> dict[UUID, str | None]:
    return {w.id: image_url(store, w, w.cover, "thumbnail") if w.cover else None for w in works}


ROUTES: list[Any] = [dashboard]
