"""An admin takes an artwork down; audited."""

from __future__ import annotations

from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.listed_images import store_images_as_listed
from artmarket.application.media import ContentStore
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction
from artmarket.domain.catalog import Artwork
from artmarket.domain.errors import NotFound


class UnpublishArtwork:
    """An admin takes a published work down (→ withdrawn) or bars a draft, with a reason.

    The artist cannot publish it again; a reserved or sold work is refused (409): its
    order stands, refund that instead. Its images become private files.
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore, ids: IdGenerator, clock: Clock) -> None:
        self._store = store
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, artwork_id: UUID, *, reason: str) -> Artwork:
        reason = reason_text(reason)
        target = ("artwork", artwork_id)
        async with self._steps.begin(actor, AuditAction.ARTWORK_UNPUBLISH, target, reason=reason) as step:
            artwork = await step.uow.artworks.get(artwork_id)
            if artwork is None:
                raise NotFound("No such artwork.")
            artwork.take_down(reason, step.now)
            await store_images_as_listed(self._store, artwork)
            await step.commit()
        return artwork
