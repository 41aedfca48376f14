"""The images of draft and withdrawn works, for their artist and admins (studio, console, API).

Listed works' images are public files (`/media` or the CDN); these are private objects, so
they are read through the use case, which answers 404 to anyone else. The caller is the
browser session or, for API clients, a bearer token.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get
from litestar.params import FromPath

from artmarket.application.catalog.images import ReadArtworkImage
from artmarket.entrypoints.http.auth import optional_principal
from artmarket.entrypoints.http.image_links import UNLISTED_IMAGES_PATH
from artmarket.entrypoints.web.sessions import current_principal


@get(f"{UNLISTED_IMAGES_PATH}/{{artwork_id:uuid}}/{{image_id:uuid}}/{{rendition:str}}", name="artwork-image")
@inject
async def artwork_image(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    image_id: FromPath[UUID],
    rendition: FromPath[str],
    read: FromDishka[ReadArtworkImage],
) -> Response[bytes]:
    viewer = await current_principal(request) or await optional_principal(request)
    content, content_type = await read(artwork_id, image_id, rendition, viewer)
    # Never kept by a shared cache, nor on the viewer's disk: the work may stay unpublished.
    return Response(content, media_type=content_type, headers={"Cache-Control": "private, no-store"})


ROUTES: list[Any] = [artwork_image]
