"""Editions and drops as the buyer's pages word them: gallery cards, the checkout's reservation,
the order page and the order list, rendered from the real templates with the real view code
(the artwork page over HTTP is in tests/integration/test_web_editions.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from tests.support.persistence import a_user, an_artwork, an_order

from artmarket.application.catalog.ports import GalleryCard
from artmarket.application.order_views import stage_of
from artmarket.domain.catalog import Artwork, ArtworkStatus
from artmarket.domain.editions import Edition, EditionStock, NumberState
from artmarket.domain.listing import Medium
from artmarket.domain.money import Money
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order, PaymentEvidence
from artmarket.entrypoints.web.editions import availability, drop_of, print_words, proofs_words
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.order_view import OrderPage
from artmarket.entrypoints.web.rendering import environment
from artmarket.entrypoints.web.routes.gallery import Card
from artmarket.fakes.media_store import InMemoryMediaStore

NOW = datetime(2026, 12, 20, 9, 0, tzinfo=UTC)
DROP = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)
ENV = environment()


def render(template: str, **context: Any) -> str:
    """A template with what `rendering.page_context` gives every page."""
    page: dict[str, Any] = {
        "user": None,
        "roles": set(),
        "csrf_token": "token",
        "flash": None,
        "request_id": "",
        "path": "/",
        "htmx": False,
        "now": NOW,
        "form": Form(),
    }
    return ENV.get_template(template).render({**page, **context})


def a_card(**changes: Any) -> GalleryCard:
    card = GalleryCard(
        id=uuid4(),
        title="Harmattan Light",
        artist_id=uuid4(),
        artist_name="Ada Obi",
        medium=Medium.PHOTOGRAPHY,
        price=Money.of(2_500_000, "NGN"),
        status=ArtworkStatus.PUBLISHED,
        year=2026,
        thumbnail_key=None,
        thumbnail_width=None,
        thumbnail_height=None,
        favorites_count=0,
        published_at=NOW - timedelta(days=3),
    )
    for name, value in changes.items():
        setattr(card, name, value)
    return card


def card_html(card: GalleryCard, now: datetime = NOW) -> str:
    shown = Card.of(card, InMemoryMediaStore(), frozenset(), now)
    return render("gallery/_card.html", card=shown)


def test_a_limited_edition_card_says_its_size_and_what_is_left() -> None:
    html = card_html(a_card(edition=Edition.limited(25, 2), edition_available=12, edition_sold=11))

    assert "Edition of 25 · 12 available" in html
    assert "Sold out" not in html


def test_a_unique_work_on_sale_has_no_edition_line() -> None:
    html = card_html(a_card())

    assert "data-edition" not in html
    assert "Edition of" not in html
    assert "Sold out" not in html
    assert "Available from" not in html


def test_a_sold_out_edition_and_a_sold_unique_work_both_say_sold_out() -> None:
    sold_edition = a_card(
        edition=Edition.limited(25), edition_available=0, edition_sold=25, status=ArtworkStatus.SOLD
    )
    sold_unique = a_card(status=ArtworkStatus.SOLD)

    for card in (sold_edition, sold_unique):
        html = card_html(card)
        assert "Sold out" in html
        assert "available" not in html


def test_a_drop_card_says_when_it_opens_until_it_opens() -> None:
    card = a_card(available_from=DROP)

    before = card_html(card)
    after = card_html(card, now=DROP)

    assert "Available from <time" in before
    assert "24 Dec 2026, 18:00 UTC</time>" in before
    assert 'data-drop-seconds="378000"' in before  # 4 days 9 hours, the server's count
    assert "data-drop-reload" not in before  # only the artwork page reloads itself
    assert "Available from" not in after


def test_a_favourite_card_reads_the_artwork_itself() -> None:
    artwork = an_artwork(a_user("Ada Obi"))
    artwork.change_edition(Edition.limited(10), NOW)
    artwork.follow_stock(EditionStock(10, {1: NumberState.SOLD, 2: NumberState.RESERVED}), NOW)
    artwork.schedule_drop(DROP, NOW)

    html = render("gallery/_card.html", card=Card.of_artwork(artwork, InMemoryMediaStore(), NOW))

    assert "Edition of 10 · 8 available" in html
    assert "24 Dec 2026, 18:00 UTC" in html


def test_the_words_for_proofs_and_an_unknown_count() -> None:
    assert proofs_words(Edition.limited(25, 2)) == "2 artist proofs, not for sale"
    assert proofs_words(Edition.limited(25, 1)) == "1 artist proof, not for sale"
    assert proofs_words(Edition.limited(25)) is None
    assert proofs_words(Edition()) is None
    assert availability(Edition.limited(25), None, sold_out=False) == "Edition of 25"
    assert drop_of(None, NOW) is None
    assert drop_of(DROP, DROP - timedelta(milliseconds=1)) is not None


def an_edition_order(number: int | None = 7) -> tuple[Order, Artwork]:
    buyer, artwork = a_user("Bola Ade"), an_artwork(a_user("Ada Obi"))
    artwork.change_edition(Edition.limited(25), NOW)
    order = an_order(buyer, artwork, at=NOW)
    order.edition_number = number
    return order, artwork


def page_of(order: Order, artwork: Artwork | None) -> OrderPage:
    return OrderPage(
        order,
        artwork,
        None,
        None,
        settling=False,
        stage=stage_of(order, None),
        expired=False,
    )


def refunded(order: Order) -> Order:
    evidence = PaymentEvidence(order.reference, True, order.amount, order.amount, NOW, "success")
    order.confirm_payment(evidence, NOW)
    order.refund("damaged in transit", NOW)
    return order


def test_the_checkout_says_which_print_is_reserved() -> None:
    order, artwork = an_edition_order(7)
    unique = an_order(a_user("Bola Ade"), an_artwork(a_user("Ada Obi")), at=NOW)

    html = render("checkout/_reservation.html", page=page_of(order, artwork))
    plain = render("checkout/_reservation.html", page=page_of(unique, None))

    assert "You are reserving print 7/25." in html
    assert "Edition of 25 — you get the lowest free number, shown on your order." in html
    assert "its number goes back on sale" in html
    assert 'id="edition-print"' not in plain
    assert "the work goes back on sale" in plain


def test_the_order_page_shows_the_print_and_a_refund_retires_its_number() -> None:
    order, artwork = an_edition_order(7)

    held = render("orders/detail.html", page=page_of(order, artwork), steps=(), poll=2)
    retired = render("orders/detail.html", page=page_of(refunded(order), artwork), steps=(), poll=2)

    assert '<p class="edition-line" id="edition-print">Print 7/25</p>' in held
    assert "edition-retired" not in held
    assert order.status is OrderStatus.REFUNDED
    assert "Print 7/25" in retired
    assert "the number 7 is retired and will not be sold again" in retired


def test_an_order_that_gave_its_number_back_shows_no_print() -> None:
    order, artwork = an_edition_order(7)
    order.expire(NOW + timedelta(minutes=16))

    html = render("orders/detail.html", page=page_of(order, artwork), steps=(), poll=2)

    assert "Print" not in html
    assert "edition-retired" not in html


def test_the_order_list_shows_each_print() -> None:
    order, artwork = an_edition_order(3)
    unique = an_order(a_user("Bola Ade"), an_artwork(a_user("Ada Obi")), at=NOW)
    items = [
        {"order": o, "artwork": a, "image": None, "stage": stage_of(o, None), "print": print_words(o, a)}
        for o, a in ((order, artwork), (unique, None))
    ]

    html = render("orders/_rows.html", items=items, next_url=None)

    assert html.count("data-edition") == 1
    assert "Print 3/25" in html
    assert print_words(order, None) == "Print 3"
