"""Certificate routes (public, verifiable) and the admin's mint-job console."""

from __future__ import annotations

from inspect import getdoc
from typing import Annotated, Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from artmarket.application.audit import Actor
from artmarket.application.cursor import CursorCodec
from artmarket.application.minting.certificates import (
    GetCertificate,
    GetCertificateMetadata,
    ListMyCertificates,
    ShowOwnerName,
    VerifyCertificate,
)
from artmarket.application.minting.jobs import ListMintJobs, RetryMintJob
from artmarket.application.pages import decode_position, page_of
from artmarket.application.principal import Principal
from artmarket.domain.certificates import MintJobStatus
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, optional_principal, requires_login, requires_role
from artmarket.entrypoints.http.minting_schemas import (
    CertificateList,
    CertificateOut,
    MintJobList,
    MintJobOut,
    OwnerNameIn,
    ProvenanceEntryOut,
    ProvenanceOut,
    VerificationOut,
)

MY_CERTIFICATES_LISTING = "my-certificates"
MINT_JOBS_LISTING = "mint-jobs"
Cursor = Annotated[str | None, Parameter(max_length=512)]
PageSize = Annotated[int, Parameter(ge=1, le=100)]


class CertificateController(Controller):
    path = "/certificates"
    tags = ["certificates"]

    @get("/{certificate_id:uuid}", operation_id="getCertificate", description=getdoc(GetCertificate))
    @inject
    async def one(
        self,
        request: Request[Any, Any, Any],
        certificate_id: FromPath[UUID],
        get_certificate: FromDishka[GetCertificate],
    ) -> CertificateOut:
        viewer = await optional_principal(request)
        return CertificateOut.of(await get_certificate(certificate_id, viewer=viewer.id if viewer else None))

    @get(
        "/{certificate_id:uuid}/provenance",
        operation_id="getCertificateProvenance",
        description="The certificate's provenance trail in order: one entry per event (issued, revoked, "
        "claimed, transferred), each a message on the collection's consensus topic once recorded.",
    )
    @inject
    async def provenance(
        self, certificate_id: FromPath[UUID], get_certificate: FromDishka[GetCertificate]
    ) -> ProvenanceOut:
        view = await get_certificate(certificate_id)
        return ProvenanceOut([ProvenanceEntryOut.of(entry) for entry in view.trail])

    @get(
        "/{certificate_id:uuid}/verify",
        operation_id="verifyCertificate",
        description=getdoc(VerifyCertificate),
    )
    @inject
    async def verify(
        self, certificate_id: FromPath[UUID], verify: FromDishka[VerifyCertificate]
    ) -> VerificationOut:
        return VerificationOut.of(await verify(certificate_id))

    @get(
        "/{certificate_id:uuid}/metadata",
        operation_id="getCertificateMetadata",
        description=getdoc(GetCertificateMetadata),
        media_type="application/json",
    )
    @inject
    async def metadata(
        self, certificate_id: FromPath[UUID], metadata: FromDishka[GetCertificateMetadata]
    ) -> Response[bytes]:
        # The bytes as they were content-addressed: never re-serialised.
        return Response(
            await metadata(certificate_id),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=31536000, immutable"},
        )


class MyCertificatesController(Controller):
    path = "/me"
    tags = ["certificates"]
    security = BEARER_SECURITY

    @get(
        "/certificates",
        operation_id="listMyCertificates",
        guards=[requires_login],
        description=getdoc(ListMyCertificates),
    )
    @inject
    async def certificates(
        self,
        principal: FromDishka[Principal],
        mine: FromDishka[ListMyCertificates],
        cursors: FromDishka[CursorCodec],
        cursor: Cursor = None,
        limit: PageSize = 24,
    ) -> CertificateList:
        found = await mine(
            principal.id, limit=limit + 1, before=decode_position(cursors, cursor, MY_CERTIFICATES_LISTING)
        )
        page = page_of(
            found,
            limit,
            cursors,
            MY_CERTIFICATES_LISTING,
            lambda view: (view.certificate.issued_at, view.certificate.id),
        )
        return CertificateList([CertificateOut.of(view) for view in page.items], page.next_cursor)

    @patch(
        "/certificates/{certificate_id:uuid}",
        operation_id="updateMyCertificate",
        guards=[requires_login],
        description=getdoc(ShowOwnerName),
    )
    @inject
    async def update(
        self,
        certificate_id: FromPath[UUID],
        data: JSONBody[OwnerNameIn],
        principal: FromDishka[Principal],
        show_owner_name: FromDishka[ShowOwnerName],
    ) -> CertificateOut:
        view = await show_owner_name(principal.id, certificate_id, shown=data.show_owner_name)
        return CertificateOut.of(view)


class AdminMintJobController(Controller):
    path = "/admin/mint-jobs"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @get("", operation_id="adminListMintJobs", description=getdoc(ListMintJobs))
    @inject
    async def jobs(
        self,
        list_jobs: FromDishka[ListMintJobs],
        cursors: FromDishka[CursorCodec],
        status: MintJobStatus | None = None,
        cursor: Cursor = None,
        limit: PageSize = 24,
    ) -> MintJobList:
        found = await list_jobs(
            status=status, limit=limit + 1, before=decode_position(cursors, cursor, MINT_JOBS_LISTING)
        )
        page = page_of(found, limit, cursors, MINT_JOBS_LISTING, lambda job: (job.created_at, job.id))
        return MintJobList([MintJobOut.of(job) for job in page.items], page.next_cursor)

    @post(
        "/{job_id:uuid}/retry",
        status_code=HTTP_202_ACCEPTED,
        operation_id="adminRetryMintJob",
        description=getdoc(RetryMintJob),
    )
    @inject
    async def retry(
        self, job_id: FromPath[UUID], actor: FromDishka[Actor], retry: FromDishka[RetryMintJob]
    ) -> MintJobOut:
        return MintJobOut.of(await retry(actor, job_id))


__all__: list[Any] = ["AdminMintJobController", "CertificateController", "MyCertificatesController"]
