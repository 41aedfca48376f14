"""Catalog routes: artist profiles, KYC, artworks, images, favourites, the gallery."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import Body, FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from artmarket.application.audit import Actor
from artmarket.application.catalog.artists import GetArtist, ListArtists, SaveArtistProfile
from artmarket.application.catalog.artworks import (
    AddArtworkImage,
    ArtworkChanges,
    ArtworkDraft,
    CreateArtwork,
    GetArtwork,
    ListMyArtworks,
    PublishArtwork,
    UpdateArtwork,
    WithdrawArtwork,
)
from artmarket.application.catalog.favorites import ListFavorites, ToggleFavorite
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.kyc import (
    DecideKyc,
    ListKycCases,
    ListMyKycCases,
    ReadKycDocument,
    SubmitKyc,
)
from artmarket.application.catalog.ports import GalleryFilter, GallerySort
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.domain.artists import KycStatus
from artmarket.domain.catalog import ArtworkStatus, Medium
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, optional_principal, requires_login, requires_role
from artmarket.entrypoints.http.caching import PRIVATE, PUBLIC_LISTING, cached
from artmarket.entrypoints.http.catalog_schemas import (
    ArtistList,
    ArtistOut,
    ArtistProfileIn,
    ArtistProfileOut,
    ArtworkCard,
    ArtworkCreate,
    ArtworkList,
    ArtworkOut,
    ArtworkUpdate,
    Decision,
    GalleryPageOut,
    ImageOut,
    KycCaseOut,
    KycForm,
    KycList,
)
from artmarket.entrypoints.http.uploads import UploadLimits, read_upload

Limit = Annotated[int, Parameter(ge=1, le=100, description="Page size (1-100)")]


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


class KycController(Controller):
    path = "/me/kyc"
    tags = ["artists"]
    guards = [requires_role(Role.ARTIST)]
    security = BEARER_SECURITY

    @get("", operation_id="listMyKyc", description=getdoc(ListMyKycCases))
    @inject
    async def mine(self, principal: FromDishka[Principal], cases: FromDishka[ListMyKycCases]) -> KycList:
        return KycList([KycCaseOut.of(c) for c in await cases(principal)])


class UploadController(Controller):
    """Routes that take files; mounted on a router with the larger upload body limit."""

    tags = ["artists"]
    security = BEARER_SECURITY

    @post(
        "/me/kyc",
        status_code=HTTP_201_CREATED,
        operation_id="submitKyc",
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(SubmitKyc),
    )
    @inject
    async def submit_kyc(
        self,
        data: Annotated[KycForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        principal: FromDishka[Principal],
        submit: FromDishka[SubmitKyc],
        limits: FromDishka[UploadLimits],
    ) -> KycCaseOut:
        document = await read_upload(data.id_document, limits.max_bytes, field="id_document")
        case = await submit(principal, legal_name=data.legal_name, country=data.country, document=document)
        return KycCaseOut.of(case)

    @post(
        "/artworks/{artwork_id:uuid}/images",
        status_code=HTTP_201_CREATED,
        operation_id="uploadArtworkImage",
        tags=["catalog"],
        guards=[requires_role(Role.ARTIST)],
        description=getdoc(AddArtworkImage),
    )
    @inject
    async def upload_image(
        self,
        artwork_id: FromPath[UUID],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
        principal: FromDishka[Principal],
        add_image: FromDishka[AddArtworkImage],
        store: FromDishka[ContentStore],
        limits: FromDishka[UploadLimits],
    ) -> ImageOut:
        upload = data.get("file")
        if isinstance(upload, list):
            # Litestar gathers repeated parts into a list: which one was meant is anyone's guess.
            raise ValidationException(
                detail="Send one image per request.",
                extra=[{"key": "file", "message": f"Send one image per request, not {len(upload)}."}],
            )
        if upload is None or isinstance(upload, str):
            raise InvalidValue("Send the image as the multipart field `file`.")
        content = await read_upload(upload, limits.max_bytes, field="file")
        added = await add_image(principal, artwork_id, content)
        return ImageOut.of(added.artwork, added.image, store)


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

    @get("/{artist_id:uuid}", operation_id="getArtist", description=getdoc(GetArtist))
    @inject
    async def one(
        self, artist_id: FromPath[UUID], request: Request[Any, Any, Any], artist: FromDishka[GetArtist]
    ) -> Response[bytes]:
        return cached(request, ArtistOut.of(await artist(artist_id)), PUBLIC_LISTING)


class AdminKycController(Controller):
    path = "/admin/kyc"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @get("", operation_id="adminListKyc", description=getdoc(ListKycCases))
    @inject
    async def queue(
        self,
        cases: FromDishka[ListKycCases],
        status: KycStatus | None = KycStatus.PENDING,
        limit: Limit = 100,
    ) -> KycList:
        return KycList([KycCaseOut.of(c) for c in await cases(status=status, limit=limit)])

    @post(
        "/{case_id:uuid}/approve",
        status_code=HTTP_200_OK,
        operation_id="adminApproveKyc",
        description=getdoc(DecideKyc),
    )
    @inject
    async def approve(
        self,
        case_id: FromPath[UUID],
        actor: FromDishka[Actor],
        decide: FromDishka[DecideKyc],
        data: Decision | None = None,
    ) -> KycCaseOut:
        return KycCaseOut.of(await decide(actor, case_id, approve=True, reason=data.reason if data else None))

    @post(
        "/{case_id:uuid}/reject",
        status_code=HTTP_200_OK,
        operation_id="adminRejectKyc",
        description=getdoc(DecideKyc),
    )
    @inject
    async def reject(
        self,
        case_id: FromPath[UUID],
        data: JSONBody[Decision],
        actor: FromDishka[Actor],
        decide: FromDishka[DecideKyc],
    ) -> KycCaseOut:
        return KycCaseOut.of(await decide(actor, case_id, approve=False, reason=data.reason))

    @get("/{case_id:uuid}/document", operation_id="adminKycDocument", description=getdoc(ReadKycDocument))
    @inject
    async def document(self, case_id: FromPath[UUID], read: FromDishka[ReadKycDocument]) -> Response[bytes]:
        content, content_type = await read(case_id)
        return Response(
            content,
            media_type=content_type,
            headers={"Cache-Control": "private, no-store", "Content-Disposition": "inline"},
        )
