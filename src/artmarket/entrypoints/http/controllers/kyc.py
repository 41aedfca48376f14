"""KYC routes: the artist's identity cases, and the admins' review queue with the document
(submitting one takes a file: `uploads.UploadController`).
"""

from __future__ import annotations

from inspect import getdoc
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from artmarket.application.audit import Actor
from artmarket.application.catalog.kyc import DecideKyc, ListKycCases, ListMyKycCases, ReadKycDocument
from artmarket.application.principal import Principal
from artmarket.domain.artists import KycStatus
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.catalog_schemas import Decision, KycCaseOut, KycList
from artmarket.entrypoints.http.parameters import Limit


class KycController(Controller):
    path = "/me/kyc"
    tags = ["artists"]
    guards = [requires_role(Role.ARTIST)]
    security = BEARER_SECURITY

    @get("", operation_id="listMyKyc", description=getdoc(ListMyKycCases))
    @inject
    async def mine(self, principal: FromDishka[Principal], cases: FromDishka[ListMyKycCases]) -> KycList:
        return KycList([KycCaseOut.of(c) for c in await cases(principal)])


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
