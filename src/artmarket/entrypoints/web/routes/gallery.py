"""The gallery (home page), one artwork's page, and favourites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from artmarket.application.catalog.artists import ListArtists
from artmarket.application.catalog.artworks import CatalogPolicy, GetArtwork
from artmarket.application.catalog.favorites import ListFavoriteIds, ListFavorites, ToggleFavorite
from artmarket.application.catalog.gallery import BrowseGallery
from artmarket.application.catalog.ports import GalleryCard
from artmarket.application.catalog.removal import WasTakenDown
from artmarket.application.checkout.orders import ListMyOrders
from artmarket.application.i18n import gettext as _
from artmarket.application.media import ContentStore
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.errors import DomainError, NotFound
from artmarket.domain.exchange import ReferenceRates
from artmarket.domain.identity import Role
from artmarket.domain.listing import Dimensions, Medium
from artmarket.domain.purchase import may_buy
from artmarket.entrypoints.http.image_links import image_url
from artmarket.entrypoints.web.editions import Drop, availability, drop_of, proofs_words
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.gallery_filters import (
    FILTER_FIELDS,
    PRICE_SORTS,
    medium_options,
    read_filters,
    sort_options,
)
from artmarket.entrypoints.web.order_view import time_left
from artmarket.entrypoints.web.rendering import render, wants_fragment
from artmarket.entrypoints.web.routes.checkout import reservation_held
from artmarket.entrypoints.web.sessions import (
    current_principal,
    page_requires_login,
    require_principal,
    safe_next,
    web_state,
)
from artmarket.entrypoints.web.sharing import artwork_sharing, gallery_sharing

PAGE_SIZE = 24


@dataclass(frozen=True, slots=True)
class Card:
    """A gallery card as the template shows it."""

    id: UUID
    title: str
    artist_id: UUID
    artist_name: str
    price: Any
    status: str
    image_url: str | None
    width: int | None
    height: int | None
    favorites_count: int
    favorite: bool
    #: "Edition of 25 · 12 available" or "Sold out" (None: a unique work on sale).
    availability: str | None
    drop: Drop | None
    medium: Medium
    dimensions: Dimensions | None
    physical: bool
    #: The artist's country, for "Ships from …" on a physical work (None when unknown).
    ships_from: str | None

    @classmethod
    def of(cls, card: GalleryCard, store: ContentStore, favorites: frozenset[UUID], now: datetime) -> Card:
        url = store.public_url(card.thumbnail_key) if card.thumbnail_key else None
        return cls(
            card.id,
            card.title,
            card.artist_id,
            card.artist_name,
            card.price,
            card.status.value,
            url,
            card.thumbnail_width,
            card.thumbnail_height,
            card.favorites_count,
            card.id in favorites,
            # A card is a read model without the entity: "sold" is what `Artwork.is_sold_out` means.
            availability(card.edition, card.edition_available, sold_out=card.status is ArtworkStatus.SOLD),
            drop_of(card.available_from, now),
            card.medium,
            card.dimensions,
            card.physical,
            card.ships_from,
        )

    @classmethod
    def of_artwork(cls, work: Artwork, store: ContentStore, now: datetime) -> Card:
        """A favourite's card (favourites are loaded as artworks)."""
        thumb = work.cover
        return cls(
            work.id,
            work.title,
            work.artist_id,
            work.artist_name,
            work.price,
            work.status.value,
            store.public_url(thumb.thumbnail_key) if thumb else None,
            thumb.width if thumb else None,
            thumb.height if thumb else None,
            work.favorites_count,
            True,
            availability(work.edition, work.edition_available, sold_out=work.is_sold_out),
            drop_of(work.available_from, now),
            work.medium,
            work.dimensions,
            work.delivery.is_physical,
            None,  # favourites are loaded as artworks, without the artist's profile
        )


async def favorites_of(principal: Principal | None, favorite_ids: ListFavoriteIds) -> frozenset[UUID]:
    return await favorite_ids(principal) if principal is not None else frozenset()


@get("/", name="gallery")
@inject
async def gallery(
    request: Request[Any, Any, Any],
    browse: FromDishka[BrowseGallery],
    store: FromDishka[ContentStore],
    artists: FromDishka[ListArtists],
    policy: FromDishka[CatalogPolicy],
    rates: FromDishka[ReferenceRates],
    favorite_ids: FromDishka[ListFavoriteIds],
    clock: FromDishka[Clock],
) -> Template:
    form = Form.from_query(request)
    query = read_filters(form, policy, rates)
    where, sort = query.where, query.sort
    cursor = form.raw("cursor") or None
    cards: list[Card] = []
    next_cursor = None
    if form.ok:
        try:
            page = await browse(where, sort, cursor, PAGE_SIZE)
        except DomainError as error:
            form.fail(error)
        else:
            favorites = await favorites_of(await current_principal(request), favorite_ids)
            now = clock.now()
            cards = [Card.of(card, store, favorites, now) for card in page.items]
            next_cursor = page.next_cursor
    filters = {key: form.raw(key) for key in FILTER_FIELDS if form.raw(key)}
    context = {
        "cards": cards,
        "more_url": f"/?{urlencode({**filters, 'cursor': next_cursor})}" if next_cursor else None,
        "filtered": bool(filters),
        "price_sort": sort in PRICE_SORTS,
        "sorted_within": query.sorted_within,
    }
    if wants_fragment(request) and cursor:
        # "Load more": only the next cards and the next button.
        return await render(request, "gallery/_page.html", context)
    artist_options = [("", _("Any artist"))] + [
        (str(a.id), a.display_name) for a in await artists(limit=100, after=None)
    ]
    currency_options = [("", _("Any"))] + [(c, c) for c in sorted(policy.currencies)]
    return await render(
        request,
        "gallery/index.html",
        {
            **context,
            "sorts": sort_options(),
            "mediums": medium_options(),
            "artists": artist_options,
            "currencies": currency_options,
            "sharing": gallery_sharing(next((c.image_url for c in cards if c.image_url), None)),
        },
        form=form,
    )


@dataclass(frozen=True, slots=True)
class Picture:
    url: str | None
    thumbnail_url: str | None
    width: int
    height: int


def pictures(artwork: Artwork, store: ContentStore) -> list[Picture]:
    return [
        Picture(
            image_url(store, artwork, i, "display"),
            image_url(store, artwork, i, "thumbnail"),
            i.width,
            i.height,
        )
        for i in artwork.images
    ]


@get("/artworks/{artwork_id:uuid}", name="artwork")
@inject
async def artwork_page(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    get_artwork: FromDishka[GetArtwork],
    store: FromDishka[ContentStore],
    favorite_ids: FromDishka[ListFavoriteIds],
    my_orders: FromDishka[ListMyOrders],
    clock: FromDishka[Clock],
    was_taken_down: FromDishka[WasTakenDown],
) -> Template:
    principal = await current_principal(request)
    try:
        artwork = await get_artwork(artwork_id, principal)
    except NotFound:
        if await was_taken_down(artwork_id):
            # Gone for good, and nothing of it is shown: no title, image or favourite button.
            return await render(request, "gallery/removed.html", status=410)
        raise
    now = clock.now()
    # The buyer holding this work's reservation gets back to their checkout from here.
    reservation = await reservation_held(principal, artwork.id, my_orders, now)
    favorites = await favorites_of(principal, favorite_ids)
    viewer_id = principal.id if principal is not None else None
    is_own = artwork.is_by(viewer_id)
    can_buy = may_buy(artwork, viewer_id, artist_active=not artwork.artist_suspended)
    shown = pictures(artwork, store)
    return await render(
        request,
        "gallery/artwork.html",
        {
            "artwork": artwork,
            "pictures": shown,
            "sharing": artwork_sharing(artwork, shown[0].url if shown else None),
            "favorite": artwork.id in favorites,
            "is_own": is_own,
            "can_buy": can_buy,
            "is_buyer": principal is None or principal.has_role(Role.BUYER),
            # A unique work keeps its status badge alone ("Sold"); an edition adds its line.
            "availability": availability(
                artwork.edition, artwork.edition_available, sold_out=artwork.is_sold_out
            )
            if artwork.edition.is_limited
            else None,
            "proofs": proofs_words(artwork.edition),
            "drop": drop_of(artwork.available_from, now),
            "reservation": reservation,
            "reservation_left": time_left(reservation, now) if reservation else "",
            # One key per rendering of the page: a double click places one order.
            "idempotency_key": uuid4().hex,
        },
    )


@post("/artworks/{artwork_id:uuid}/favorite", name="favorite", guards=[page_requires_login])
@inject
async def toggle_favorite(
    request: Request[Any, Any, Any],
    artwork_id: FromPath[UUID],
    toggle: FromDishka[ToggleFavorite],
    get_artwork: FromDishka[GetArtwork],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    favorite = form.raw("favorite") == "1"
    await toggle(principal, artwork_id, favorite=favorite)
    if wants_fragment(request):
        # The button comes back with the work's new count beside it (a card's button has none).
        artwork = await get_artwork(artwork_id, principal)
        return await render(
            request,
            "gallery/_favorite.html",
            {
                "artwork_id": artwork_id,
                "favorite": favorite,
                "compact": form.raw("compact") == "1",
                "favorites_count": artwork.favorites_count,
            },
        )
    web_state(request).flash(
        _("Added to your favourites.") if favorite else _("Removed from your favourites.")
    )
    return Redirect(safe_next(form.raw("next"), f"/artworks/{artwork_id}"), status_code=303)


@get("/me/favorites", name="favorites", guards=[page_requires_login])
@inject
async def favorites_page(
    request: Request[Any, Any, Any],
    favorites: FromDishka[ListFavorites],
    store: FromDishka[ContentStore],
    clock: FromDishka[Clock],
) -> Template:
    principal = await require_principal(request)
    now = clock.now()
    cards = [Card.of_artwork(work, store, now) for work in await favorites(principal)]
    return await render(request, "gallery/favorites.html", {"cards": cards})


ROUTES: list[Any] = [gallery, artwork_page, toggle_favorite, favorites_page]
