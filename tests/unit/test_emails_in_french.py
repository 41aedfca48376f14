"""Emails in the recipient's language: every kind reads in French for a French-speaking
recipient, with amounts and times as French writes them, while English stays English and
deliveries recorded before (English strings, no language) still render."""

from __future__ import annotations

import html
import re
from uuid import uuid4

import pytest
from tests.support.persistence import a_user, an_artwork, an_order
from tests.unit.test_email_delivery import Harness, a_paid_order
from tests.unit.test_email_messages import BASE, CONTEXTS, RENDERER

from artmarket.application.messages import CertificateIssued, OrderAwaitingPayment, OrderPaid
from artmarket.application.notifications.deliveries import EmailKind
from artmarket.application.notifications.stage_texts import STAGE_TEXTS
from artmarket.domain.identity import Role
from artmarket.domain.languages import Language
from artmarket.domain.order_stage import STAGE_TEXT
from artmarket.domain.orders import Order

NBSP, NNBSP = "\u00a0", "\u202f"
#: French words every email of its kind must show (its subject's and its body's own words).
FRENCH_WORDS: dict[EmailKind, tuple[str, ...]] = {
    EmailKind.WELCOME_VERIFY: ("Bienvenue", "Confirmer mon adresse e-mail"),
    EmailKind.VERIFY_EMAIL: ("Confirmez votre adresse e-mail", "nouveau lien"),
    EmailKind.PASSWORD_RESET: ("Réinitialisez", "mot de passe"),
    EmailKind.ORDER_AWAITING_PAYMENT: ("vous est réservée", "Payer"),
    EmailKind.PAYMENT_RECEIVED: ("Paiement reçu", "certificat d'authenticité"),
    EmailKind.CERTIFICATE_ISSUED: ("certificat d'authenticité", "Votre commande"),
    EmailKind.RESERVATION_EXPIRED: ("réservation", "Voir l'œuvre"),
    EmailKind.ORDER_REFUNDED: ("remboursé", "Voir ma commande"),
    EmailKind.ARTWORK_SOLD: ("vendue", "atelier"),
    EmailKind.KYC_APPROVED: ("identité est vérifiée", "Mes œuvres"),
    EmailKind.KYC_REJECTED: ("Nous n'avons pas pu vérifier", "Motif"),
    EmailKind.SHIP_ARTWORK: ("Expédiez", "Téléphone"),
    EmailKind.ARTWORK_SHIPPED: ("en route", "numéro de suivi"),
    EmailKind.SHIPPING_REMINDER: ("Rappel", "il y a 3 jours"),
    EmailKind.DELIVERY_PROBLEM_ALERT: ("Problème de livraison", "console d'administration"),
}
_TEXT_NODE = re.compile(r">([^<>]+)<")
_STYLE = re.compile(r"<style>.*?</style>", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")


def plain(text: str) -> str:
    """French typography's no-break spaces read as spaces, so assertions stay readable."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def sentences(kind: EmailKind, language: str) -> tuple[str, set[str]]:
    """The subject, and every line of the text part and text node of the HTML part."""
    rendered = RENDERER.render(kind, {"recipient_name": "Ada", "language": language, **CONTEXTS[kind]})
    nodes = {html.unescape(node).strip() for node in _TEXT_NODE.findall(_STYLE.sub("", rendered.html))}
    lines = {line.strip() for line in rendered.text.splitlines()}
    return rendered.subject, {piece for piece in nodes | lines if piece}


@pytest.mark.parametrize("kind", list(EmailKind))
def test_every_email_reads_in_french_with_no_english_sentence_left(kind: EmailKind) -> None:
    english_subject, english = sentences(kind, "en")
    french_subject, french = sentences(kind, "fr")

    assert french_subject != english_subject
    # What both languages share is only data: names, titles, links, ids, the site's name.
    data = {"Ada", "artmarket", f"artmarket · {BASE}", "artmarket shipments resolve o-1"}
    for value in CONTEXTS[kind].values():
        data |= {line.strip() for line in value.splitlines()}
    shared = {
        piece
        for piece in english & french
        if piece not in data and not piece.startswith(BASE) and _WORD.search(piece)
    }
    assert shared == set()
    shown = plain(french_subject + " " + " ".join(french))
    for word in FRENCH_WORDS[kind]:
        assert word in shown


def test_a_french_email_is_html_in_french_and_quotes_titles_the_french_way() -> None:
    rendered = RENDERER.render(
        EmailKind.ARTWORK_SOLD,
        {"recipient_name": "Ada", "language": "fr", **CONTEXTS[EmailKind.ARTWORK_SOLD]},
    )
    assert '<html lang="fr">' in rendered.html
    assert plain(rendered.text).startswith("Bonjour Ada,")
    assert "Votre œuvre « " in rendered.subject  # a header is one line of plain spaces
    assert "Bonne nouvelle" + NBSP + ":" in rendered.text


def test_the_certificate_email_names_the_buyers_stage_in_french() -> None:
    context = {"recipient_name": "Ada", "language": "fr", **CONTEXTS[EmailKind.CERTIFICATE_ISSUED]}
    rendered = RENDERER.render(EmailKind.CERTIFICATE_ISSUED, context)

    assert "Payée · certificat émis · en attente d'expédition" in rendered.text
    assert "<strong>Payée · certificat émis · en attente d'expédition</strong>" in rendered.html


def test_every_stage_the_domain_writes_is_in_the_email_catalog() -> None:
    assert sorted(STAGE_TEXTS) == sorted(STAGE_TEXT.values())


def test_a_delivery_recorded_before_languages_renders_in_english_as_it_was_written() -> None:
    # Recorded before users had a language: no `language` key, amounts written in English.
    rendered = RENDERER.render(
        EmailKind.PAYMENT_RECEIVED, {"recipient_name": "Ada", **CONTEXTS[EmailKind.PAYMENT_RECEIVED]}
    )
    assert rendered.subject.startswith("Payment received for")
    assert "NGN 25,000.00" in rendered.text


async def a_paid_order_to_a_french_buyer(h: Harness) -> Order:
    _, buyer, order = await a_paid_order(h)
    async with h.uow() as uow:
        stored = await uow.users.get(buyer.id)
        assert stored is not None
        stored.speak(Language.FRENCH)
        await uow.commit()
    return order


async def test_each_recipient_reads_the_amounts_in_their_own_language() -> None:
    h = Harness()
    order = await a_paid_order_to_a_french_buyer(h)

    assert await h.notify().handle(OrderPaid(order.id)) == 2

    received, sold = h.mailer.sent
    assert received.subject == "Paiement reçu pour « Harmattan <Light> »"
    assert "25 000 ₦" in plain(received.text)
    assert "<strong>25" in received.html
    assert "₦25,000" not in received.text
    # The artist kept English: their share in English, from the same event.
    assert sold.subject == "“Harmattan <Light>” has sold"
    assert "₦22,500" in sold.text


async def test_a_french_buyer_reads_the_reservations_end_as_french_writes_it() -> None:
    h = Harness()
    artist, buyer = a_user("Ada", role=Role.ARTIST), a_user("Bola")
    buyer.speak(Language.FRENCH)
    artwork = an_artwork(artist)
    order = an_order(buyer, artwork)
    order.attach_checkout("https://checkout.paystack.com/xyz")
    await h.store(artist, buyer, artwork, order)

    await h.notify().handle(OrderAwaitingPayment(order.id))

    (email,) = h.mailer.sent
    assert "jusqu'au 1 mars 2026 à 09:45 UTC" in plain(email.text)
    assert "Payer 25 000 ₦" in plain(email.html)


async def test_a_french_buyers_certificate_email_names_their_stage_in_french() -> None:
    h = Harness()
    order = await a_paid_order_to_a_french_buyer(h)
    certified = CertificateIssued(uuid4(), order.id)

    await h.notify().handle(certified)

    (email,) = h.mailer.sent
    assert "Votre commande" in plain(email.text)
    assert "Paid ·" not in email.text
