"""Routes that take files (KYC documents, artwork images): mounted with the upload body limit."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import Body, FromPath
from litestar.status_codes import HTTP_201_CREATED

from artmarket.application.catalog.artworks import AddArtworkImage
from artmarket.application.catalog.kyc import SubmitKyc
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.catalog_schemas import ImageOut, KycCaseOut, KycForm
from artmarket.entrypoints.http.uploads import UploadLimits, read_upload


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
