"""A certificate's proof bundle: what a third party checks on the public ledger without us."""

from __future__ import annotations

from inspect import getdoc
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromPath

from artmarket.application.minting.proofs import CertificateProof, GetCertificateProof


class CertificateProofController(Controller):
    path = "/certificates"
    tags = ["certificates"]

    @get(
        "/{certificate_id:uuid}/proof",
        operation_id="getCertificateProof",
        description=getdoc(GetCertificateProof),
        summary="The proof bundle: metadata bytes, CID, NFT, mint transaction, trail sequence numbers",
    )
    @inject
    async def proof(
        self, certificate_id: FromPath[UUID], get_proof: FromDishka[GetCertificateProof]
    ) -> CertificateProof:
        # `artmarket verify-proof FILE` reads this JSON back into the same type.
        return await get_proof(certificate_id)


__all__: list[Any] = ["CertificateProofController"]
