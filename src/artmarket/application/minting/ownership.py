"""A certificate as its owner asks for it: anyone else's is a 404, as if it did not exist."""

from __future__ import annotations

from uuid import UUID

from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.errors import NotFound


async def owned_certificate(uow: UnitOfWork, owner_id: UUID, certificate_id: UUID) -> Certificate:
    """The caller's own certificate; anyone else's is a 404, as if it did not exist."""
    certificate = await uow.certificates.get(certificate_id)
    if certificate is None or certificate.owner_id != owner_id:
        raise NotFound("No such certificate.")
    return certificate
