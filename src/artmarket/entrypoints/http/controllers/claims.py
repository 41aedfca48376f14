"""The owner claims their certificate's NFT to their own Hedera account."""

from __future__ import annotations

from inspect import getdoc
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from artmarket.application.minting.claims import ClaimCertificate
from artmarket.application.principal import Principal
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_login
from artmarket.entrypoints.http.claim_schemas import ClaimIn, ClaimOut


class ClaimController(Controller):
    path = "/me/certificates"
    tags = ["certificates"]
    security = BEARER_SECURITY

    @post(
        "/{certificate_id:uuid}/claim",
        status_code=HTTP_202_ACCEPTED,
        operation_id="claimMyCertificate",
        guards=[requires_login],
        description=getdoc(ClaimCertificate),
    )
    @inject
    async def claim(
        self,
        certificate_id: FromPath[UUID],
        data: JSONBody[ClaimIn],
        principal: FromDishka[Principal],
        claim: FromDishka[ClaimCertificate],
    ) -> ClaimOut:
        return ClaimOut.of(await claim(principal.id, certificate_id, data.account_id))


__all__: list[Any] = ["ClaimController"]
