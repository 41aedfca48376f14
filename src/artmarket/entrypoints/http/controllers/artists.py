"""Artist routes: the artist's own profile, and the public directory of artists."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, put
from litestar.params import JSONBody, PathParameter

from artmarket.application.catalog.artists import GetArtist, ListArtists, SaveArtistProfile
from artmarket.application.principal import Principal
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.caching import PUBLIC_LISTING, cached
from artmarket.entrypoints.http.catalog_schemas import (
    ArtistList,
    ArtistOut,
    ArtistProfileIn,
    ArtistProfileOut,
)
from artmarket.entrypoints.http.parameters import Limit


class ArtistProfileController(Controller):
    path = "/me/artist-profile"
    tags = ["artists"]
    guards = [requires_role(Role.ARTIST)]
    security = BEARER_SECURITY

    @put("", operation_id="saveArtistProfile", description=getdoc(SaveArtistProfile))
    @inject
    async def save(
        self,
        data: JSONBody[ArtistProfileIn],
        principal: FromDishka[Principal],
        save: FromDishka[SaveArtistProfile],
    ) -> ArtistProfileOut:
        profile = await save(
            principal,
            display_name=data.display_name,
            bio=data.bio,
            country=data.country,
            website=data.website,
        )
        return ArtistProfileOut.of(profile)


class ArtistController(Controller):
    path = "/artists"
    tags = ["artists"]

    @get("", operation_id="listArtists", description=getdoc(ListArtists))
    @inject
    async def list_artists(
        self,
        request: Request[Any, Any, Any],
        artists: FromDishka[ListArtists],
        limit: Limit = 24,
        cursor: UUID | None = None,
    ) -> Response[bytes]:
        found = await artists(limit=limit + 1, after=cursor)
        page = found[:limit]
        next_cursor = str(page[-1].id) if len(found) > limit and page else None
        return cached(request, ArtistList([ArtistOut.of(a) for a in page], next_cursor), PUBLIC_LISTING)

    # One route for both: two parameters of different types cannot share a path segment.
    @get("/{artist_ref:str}", operation_id="getArtist", description=getdoc(GetArtist))
    @inject
    async def one(
        self,
        artist_ref: Annotated[str, PathParameter(description="The artist's id or slug.", max_length=100)],
        request: Request[Any, Any, Any],
        artist: FromDishka[GetArtist],
    ) -> Response[bytes]:
        return cached(request, ArtistOut.of(await artist(artist_id_or_slug(artist_ref))), PUBLIC_LISTING)


def artist_id_or_slug(ref: str) -> UUID | str:
    """A path's artist reference: an id when it reads as one, else a slug."""
    try:
        return UUID(ref)
    except ValueError:
        return ref
