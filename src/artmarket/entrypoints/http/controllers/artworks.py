"""Artwork routes: the gallery, an artwork, the artist's drafts and their status, favourites."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from artmarket.application.catalog.artworks import (
    ArtworkChanges,
    ArtworkDraft,
    CreateArtwork,
    GetArtwork,
    Keep,
    ListMyArtworks,
    PublishArtwork,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.catalog.favorites import ListFavorites, ToggleFavorite
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.domain.catalog import ArtworkStatus
from artmarket.domain.editions import UNIQUE
from artmarket.domain.identity import Role
from artmarket.domain.listing import Medium
from artmarket.entrypoints.http.auth import BEARER_SECURITY, optional_principal, requires_login, requires_role
from artmarket.entrypoints.http.caching import PRIVATE, PUBLIC_LISTING, cached
from artmarket.entrypoints.http.catalog_schemas import (
    ArtworkCard,
    ArtworkCreate,
    ArtworkList,
    ArtworkOut,
    ArtworkUpdate,
    GalleryPageOut,
)
from artmarket.entrypoints.http.parameters import Limit


class ArtworkController(Controller):
    path = "/artworks"
    tags = ["catalog"]

    @get("", operation_id="browseGallery", description=getdoc(BrowseGallery))
    @inject
    async def gallery(
        self,
        request: Request[Any, Any, Any],
        browse: FromDishka[BrowseGallery],
        store: FromDishka[ContentStore],
        q: Annotated[str | None, Parameter(max_length=200)] = None,
        medium: Medium | None = None,
        artist_id: UUID | None = None,
        min_price: Annotated[int | None, Parameter(ge=0, le=10**13)] = None,
        max_price: Annotated[int | None, Parameter(ge=0, le=10**13)] = None,
        currency: Annotated[str | None, Parameter(pattern="^[A-Z]{3}$")] = None,
        status: Annotated[
            ArtworkStatus, Parameter(description="published (default) or sold")
        ] = ArtworkStatus.PUBLISHED,
        sort: GallerySort = GallerySort.NEWEST,
        cursor: Annotated[str | None, Parameter(max_length=512)] = None,
        limit: Limit = 24,
    ) -> Response[bytes]:
        where = GalleryFilter(
            status=status,
            q=(q or "").strip() or None,
            medium=medium,
            artist_id=artist_id,
            currency=currency,
            min_price=min_price,
            max_price=max_price,
        )
        page = await browse(where, sort, cursor, limit)
        body = GalleryPageOut([ArtworkCard.of(c, store) for c in page.items], page.next_cursor)
        return cached(request, body, PUBLIC_LISTING)

    @get("/{artwork_id:uuid}", operation_id="getArtwork", description=getdoc(GetArtwork))
    @inject
    async def one(
        self,
        artwork_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        get_artwork: FromDishka[GetArtwork],
        store: FromDishka[ContentStore],
    ) -> Response[bytes]:
        artwork = await get_artwork(artwork_id, await optional_principal(request))
        return cached(
            request, ArtworkOut.of(artwork, store), PUBLIC_LISTING if artwork.is_public else PRIVATE
        )

    @post(
        "",
        status_code=HTTP_201_CREATED,
        operation_id="createArtwork",
        guards=[requires_role(Role.ARTIST)],
        security=BEARER_SECURITY,
        description=getdoc(CreateArtwork),
    )
    @inject
    async def create(
        self,
        data: JSONBody[ArtworkCreate],
        principal: FromDishka[Principal],
        create: FromDishka[CreateArtwork],
        store: FromDishka[ContentStore],
    ) -> ArtworkOut:
        draft = ArtworkDraft(
            title=data.title,
            description=data.description,
            medium=data.medium,
            price=data.price.to_money(),
            year=data.year,
            dimensions=data.dimensions.to_domain() if data.dimensions else None,
            delivery=data.delivery.to_domain() if data.delivery else None,
            edition=data.edition.to_domain() if data.edition else UNIQUE,
            available_from=data.available_from,
        )
        return ArtworkOut.of(await create(principal, draft), store)

    @patch(
        "/{artwork_id:uuid}",
        operation_id="updateArtwork",
        guards=[requires_role(Role.ARTIST)],
        security=BEARER_SECURITY,
        description=getdoc(UpdateArtwork),
    )
    @inject
    async def update(
        self,
        artwork_id: FromPath[UUID],
        data: JSONBody[ArtworkUpdate],
        principal: FromDishka[Principal],
        update: FromDishka[UpdateArtwork],
        store: FromDishka[ContentStore],
    ) -> ArtworkOut:
        changes = ArtworkChanges(
            title=data.title,
            description=data.description,
            medium=data.medium,
            price=data.price.to_money() if data.price else None,
            year=data.year,
            dimensions=data.dimensions.to_domain() if data.dimensions else None,
            delivery=data.delivery.to_domain() if data.delivery else None,
            edition=data.edition.to_domain() if data.edition else None,
            available_from=Keep.KEEP if data.available_from is msgspec.UNSET else data.available_from,
        )
        return ArtworkOut.of(await update(principal, artwork_id, changes), store)

    @post(
        "/{artwork_id:uuid}/publish",
        status_code=HTTP_200_OK,
        operation_id="publishArtwork",
        guards=[requires_role(Role.ARTIST)],
        security=BEARER_SECURITY,
        description=getdoc(PublishArtwork),
    )
    @inject
    async def publish(
        self,
        artwork_id: FromPath[UUID],
        principal: FromDishka[Principal],
        publish: FromDishka[PublishArtwork],
        store: FromDishka[ContentStore],
    ) -> ArtworkOut:
        return ArtworkOut.of(await publish(principal, artwork_id), store)

    @post(
        "/{artwork_id:uuid}/withdraw",
        status_code=HTTP_200_OK,
        operation_id="withdrawArtwork",
        guards=[requires_role(Role.ARTIST)],
        security=BEARER_SECURITY,
        description=getdoc(WithdrawArtwork),
    )
    @inject
    async def withdraw(
        self,
        artwork_id: FromPath[UUID],
        principal: FromDishka[Principal],
        withdraw: FromDishka[WithdrawArtwork],
        store: FromDishka[ContentStore],
    ) -> ArtworkOut:
        return ArtworkOut.of(await withdraw(principal, artwork_id), store)

    @put(
        "/{artwork_id:uuid}/favorite",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="favoriteArtwork",
        guards=[requires_login],
        security=BEARER_SECURITY,
        description=getdoc(ToggleFavorite),
    )
    @inject
    async def favorite(
        self, artwork_id: FromPath[UUID], principal: FromDishka[Principal], toggle: FromDishka[ToggleFavorite]
    ) -> None:
        await toggle(principal, artwork_id, favorite=True)

    @delete(
        "/{artwork_id:uuid}/favorite",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="unfavoriteArtwork",
        guards=[requires_login],
        security=BEARER_SECURITY,
    )
    @inject
    async def unfavorite(
        self, artwork_id: FromPath[UUID], principal: FromDishka[Principal], toggle: FromDishka[ToggleFavorite]
    ) -> None:
        await toggle(principal, artwork_id, favorite=False)


class MyCatalogController(Controller):
    path = "/me"
    tags = ["catalog"]
    security = BEARER_SECURITY

    @get(
        "/artworks",
        operation_id="listMyArtworks",
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(ListMyArtworks),
    )
    @inject
    async def artworks(
        self,
        principal: FromDishka[Principal],
        mine: FromDishka[ListMyArtworks],
        store: FromDishka[ContentStore],
        status: ArtworkStatus | None = None,
    ) -> ArtworkList:
        return ArtworkList([ArtworkOut.of(a, store) for a in await mine(principal, status)])

    @get(
        "/favorites",
        operation_id="listMyFavorites",
        guards=[requires_login],
        description=getdoc(ListFavorites),
    )
    @inject
    async def favorites(
        self,
        principal: FromDishka[Principal],
        favorites: FromDishka[ListFavorites],
        store: FromDishka[ContentStore],
    ) -> ArtworkList:
        return ArtworkList([ArtworkOut.of(a, store) for a in await favorites(principal)])
