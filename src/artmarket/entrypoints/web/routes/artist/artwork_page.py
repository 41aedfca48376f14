"""The studio's page of one artwork (edit, images, publish), as its actions render it again."""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

from litestar import Request
from litestar.response import Template

from artmarket.application.catalog.artworks import CatalogPolicy, GetArtwork
from artmarket.application.catalog.kyc import ListMyKycCases
from artmarket.application.i18n import N_
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.principal import Principal
from artmarket.domain.artists import KycStatus
from artmarket.domain.catalog import MAX_IMAGES, Artwork
from artmarket.domain.errors import NotFound
from artmarket.domain.listing import PublishNeed
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.artwork_form import artwork_values, listing_context
from artmarket.entrypoints.web.routes.artist.studio import limits_context

IMAGE_TYPES = "image/jpeg,image/png,image/webp"
#: Each item of the publish checklist as the page says it (after "it still needs:"), and the
#: page where the artist deals with it, if any.
CHECKLIST: Final[dict[PublishNeed, tuple[str, str | None]]] = {
    PublishNeed.IDENTITY_REVIEW: (N_("an approved identity review"), "/artist/kyc"),
    PublishNeed.TITLE: (N_("a title"), None),
    PublishNeed.PRICE: (N_("a price"), None),
    PublishNeed.IMAGE: (N_("an image"), None),
}


async def own_artwork(get_artwork: GetArtwork, principal: Principal, artwork_id: UUID) -> Artwork:
    artwork = await get_artwork(artwork_id, principal)
    if artwork.artist_id != principal.id:
        raise NotFound("No such artwork.")
    return artwork


async def edit_page(
    request: Request[Any, Any, Any],
    principal: Principal,
    artwork_id: UUID,
    *,
    get_artwork: GetArtwork,
    store: ContentStore,
    policy: CatalogPolicy,
    limits: UploadLimits,
    form: Form | None = None,
    upload_form: Form | None = None,
    status_form: Form | None = None,
    status: int = 200,
) -> Template:
    """The page of the artist's own artwork; a refused action's form shows its error there."""
    artwork = await own_artwork(get_artwork, principal, artwork_id)
    form = form or Form(artwork_values(artwork))
    # Asked here rather than by each of the page's actions: the checklist is part of the page.
    cases = await (await request.state.dishka_container.get(ListMyKycCases))(principal)
    kyc_approved = bool(cases) and cases[0].status is KycStatus.APPROVED
    return await render(
        request,
        "artist/artwork_edit.html",
        {
            **listing_context(policy, form, edition_locked=not artwork.edition_can_change),
            "artwork": artwork,
            "images": image_views(artwork, store),
            "editable": artwork.is_editable,
            "can_add_image": artwork.accepts_images,
            "max_images": MAX_IMAGES,
            "missing": checklist(artwork.missing_for_publishing(kyc_approved=kyc_approved)),
            "upload_form": upload_form or Form(),
            "status_form": status_form or Form(),
            "image_types": IMAGE_TYPES,
            **limits_context(limits),
        },
        form=form,
        status=status,
    )


def checklist(needs: tuple[PublishNeed, ...]) -> list[dict[str, str | None]]:
    """The publish checklist's items in the page's language, each with its link (or None)."""
    return [{"text": _(CHECKLIST[need][0]), "link": CHECKLIST[need][1]} for need in needs]


def image_views(artwork: Artwork, store: ContentStore) -> list[dict[str, Any]]:
    return [
        {
            "url": image_url(store, artwork, image, "display"),
            "thumbnail": image_url(store, artwork, image, "thumbnail"),
            "width": image.width,
            "height": image.height,
            "alt": _("%(title)s, image %(number)d") % {"title": artwork.title, "number": n},
        }
        for n, image in enumerate(artwork.images, start=1)
    ]
