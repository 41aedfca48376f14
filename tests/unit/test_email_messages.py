"""Emails as people read them: every kind renders an HTML and a text part, user text is data
never markup, links come from the public base URL, and nothing can add a header."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

import pytest

from artmarket.adapters.mail.mime import to_mime
from artmarket.application.account_tokens import AccountTokenCodec
from artmarket.application.notifications.deliveries import EmailKind, event_id, message_id_for
from artmarket.application.notifications.ports import InvalidMailbox, Mailbox, OutgoingEmail
from artmarket.application.notifications.rendering import TOKEN_ID, EmailRenderer
from artmarket.domain.errors import InvalidValue

BASE = "https://art.example"
CODEC = AccountTokenCodec(b"k" * 32)
RENDERER = EmailRenderer(BASE + "/", CODEC)
TOKEN = UUID("0192c0de-0000-7000-8000-000000000001")
EVIL = '<script>alert("x")</script> & “Harmattan”'

CONTEXTS: dict[EmailKind, dict[str, str]] = {
    EmailKind.WELCOME_VERIFY: {TOKEN_ID: str(TOKEN), "valid_hours": "48"},
    EmailKind.VERIFY_EMAIL: {TOKEN_ID: str(TOKEN), "valid_hours": "48"},
    EmailKind.PASSWORD_RESET: {TOKEN_ID: str(TOKEN), "valid_minutes": "60"},
    EmailKind.ORDER_AWAITING_PAYMENT: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "pay_url": "https://checkout.paystack.com/abc",
        "expires_at": "01 Mar 2026, 09:45 UTC",
    },
    EmailKind.PAYMENT_RECEIVED: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "reference": "am-1",
        "ships": "yes",
    },
    EmailKind.CERTIFICATE_ISSUED: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "certificate_url": f"{BASE}/certificates/c-1",
        "explorer_url": "https://hashscan.io/testnet/transaction/0.0.5-1",
        "stage": "Paid · certificate issued · awaiting shipment",
    },
    EmailKind.RESERVATION_EXPIRED: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "artwork_url": f"{BASE}/artworks/a-1",
    },
    EmailKind.ORDER_REFUNDED: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "reason": "paid after the reservation lapsed",
        "refunded_at": "01 Mar 2026, 10:15 UTC",
    },
    EmailKind.ARTWORK_SOLD: {
        "artwork_title": EVIL,
        "amount": "NGN 25,000.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "artist_share": "NGN 22,500.00",
    },
    EmailKind.KYC_APPROVED: {"artworks_url": f"{BASE}/artist"},
    EmailKind.KYC_REJECTED: {"reason": "The <b>photo</b> is blurred", "kyc_url": f"{BASE}/artist/kyc"},
    EmailKind.SHIP_ARTWORK: {
        "artwork_title": EVIL,
        "amount": "NGN 27,500.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "shipping": "NGN 2,500.00",
        "recipient_phone": "+2348031234567",
        "address": "Bola <b>Ade</b>\n12 Allen Avenue\nIkeja\nLagos\nNG",
        "shipments_url": f"{BASE}/artist/shipments/o-1",
    },
    EmailKind.ARTWORK_SHIPPED: {
        "artwork_title": EVIL,
        "amount": "NGN 27,500.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "carrier": "DHL",
        "tracking_number": "JD0146000012345",
        "tracking_url": "https://www.dhl.com/track?id=JD0146000012345",
    },
    EmailKind.SHIPPING_REMINDER: {
        "artwork_title": EVIL,
        "amount": "NGN 27,500.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "days_waiting": "3",
        "shipments_url": f"{BASE}/artist/shipments/o-1",
    },
    EmailKind.DELIVERY_PROBLEM_ALERT: {
        "artwork_title": EVIL,
        "amount": "NGN 27,500.00",
        "order_id": "o-1",
        "order_url": f"{BASE}/orders/o-1",
        "problem": "The frame <i>arrived</i> broken",
        "admin_order_url": f"{BASE}/admin/orders/o-1",
    },
}


def test_every_kind_of_email_has_its_templates() -> None:
    assert set(CONTEXTS) == set(EmailKind)


@pytest.mark.parametrize("kind", list(EmailKind))
def test_every_email_renders_a_subject_a_text_and_an_html_part(kind: EmailKind) -> None:
    rendered = RENDERER.render(kind, {"recipient_name": "Ada <Obi>", **CONTEXTS[kind]})

    assert rendered.subject
    assert "\n" not in rendered.subject
    assert rendered.text.startswith("Hello Ada <Obi>,")
    assert "Hello Ada &lt;Obi&gt;," in rendered.html
    assert "<script>" not in rendered.html
    assert f'href="{BASE}"' in rendered.html


@pytest.mark.parametrize("kind", list(EmailKind))
def test_every_email_fits_a_phone_screen_in_the_sites_colours_and_type(kind: EmailKind) -> None:
    html = RENDERER.render(kind, {"recipient_name": "Ada", **CONTEXTS[kind]}).html

    assert 'name="viewport" content="width=device-width' in html
    assert "max-width:560px" in html
    # Nothing wider than a 375 px screen: no fixed table widths, no wide boxes; long links wrap.
    assert re.findall(r'width="(\d+)"', html) == []
    assert [w for w in re.findall(r"(?<![-\w])width:(\d+)px", html) if int(w) > 375] == []
    assert "overflow-wrap:anywhere" in html
    # The site's ink, wash and type (static/app.css), not a separate look.
    assert "color:#1c1b1a" in html
    assert "background:#f6f4f1" in html
    assert "font-family:system-ui" in html


def test_user_text_is_escaped_in_html_and_kept_as_is_in_text_and_subject() -> None:
    rendered = RENDERER.render(
        EmailKind.PAYMENT_RECEIVED, {"recipient_name": "Ada", **CONTEXTS[EmailKind.PAYMENT_RECEIVED]}
    )
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; “Harmattan”" in rendered.html
    assert EVIL in rendered.text
    assert EVIL in rendered.subject


def test_the_verification_link_carries_the_token_derived_from_its_id_and_nothing_else() -> None:
    rendered = RENDERER.render(
        EmailKind.WELCOME_VERIFY, {"recipient_name": "Ada", **CONTEXTS[EmailKind.WELCOME_VERIFY]}
    )

    link = f"{BASE}/account/verify-email?token={CODEC.token_for(TOKEN)}"
    assert link in rendered.text
    assert f'href="{link}"' in rendered.html
    assert str(TOKEN) not in rendered.text + rendered.html


def test_the_certificate_email_links_the_certificate_page_and_the_explorer_only_when_known() -> None:
    context = {"recipient_name": "Ada", **CONTEXTS[EmailKind.CERTIFICATE_ISSUED]}
    with_explorer = RENDERER.render(EmailKind.CERTIFICATE_ISSUED, context)
    del context["explorer_url"]
    without = RENDERER.render(EmailKind.CERTIFICATE_ISSUED, context)

    assert f"{BASE}/certificates/c-1" in with_explorer.text
    assert "https://hashscan.io/testnet/transaction/0.0.5-1" in with_explorer.html
    assert "ledger" not in without.text
    assert f"{BASE}/certificates/c-1" in without.html


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("eve@example.com\r\nBcc: all@example.com", None),
        ("eve@example.com", "Eve\r\nBcc: all@example.com"),
        ("eve@example.com", "Eve\nX-Injected: 1"),
        ("eve@example.com>, all@example.com", None),
        ("not-an-address", None),
        ("eve@example.com\x00", None),
    ],
)
def test_an_address_or_name_that_could_add_a_header_is_refused(address: str, name: str | None) -> None:
    with pytest.raises(InvalidMailbox):
        Mailbox(address, name)


def test_a_subject_or_message_id_that_could_add_a_header_is_refused() -> None:
    fine = {
        "message_id": "<e.kind@art.example>",
        "sender": Mailbox("no-reply@art.example"),
        "to": Mailbox("ada@example.com"),
        "subject": "Hello",
        "text": "t",
        "html": "h",
    }
    with pytest.raises(InvalidValue):
        OutgoingEmail(**{**fine, "subject": "Hello\r\nBcc: all@example.com"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        OutgoingEmail(**{**fine, "message_id": "<e@x>\r\nBcc: all@example.com"})  # type: ignore[arg-type]


def test_the_mime_message_has_one_recipient_header_and_both_parts() -> None:
    email = OutgoingEmail(
        message_id="<e.kind@art.example>",
        sender=Mailbox("no-reply@art.example", "artmarket"),
        to=Mailbox("ada@example.com", 'Ada "the artist", Obi'),
        subject="Welcome “Ada”",
        text="Hello\n",
        html="<p>Hello</p>\n",
    )
    message = to_mime(email)
    raw = bytes(message)

    assert raw.count(b"\r\nTo: ") == 1
    assert b"Bcc" not in raw
    assert message["To"].addresses[0].addr_spec == "ada@example.com"
    assert message["To"].addresses[0].display_name == 'Ada "the artist", Obi'
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Message-ID"] == "<e.kind@art.example>"


def test_an_events_id_and_message_ids_are_stable_and_distinct_per_kind() -> None:
    payload = {"order_id": "o-1"}
    first = event_id("order.paid", payload)
    assert event_id("order.paid", dict(payload)) == first
    assert event_id("order.paid", {"order_id": "o-2"}) != first
    assert event_id("order.refunded", payload) != first
    assert message_id_for(first, EmailKind.PAYMENT_RECEIVED, "art.example") == (
        f"<{first}.payment_received@art.example>"
    )
    assert message_id_for(first, EmailKind.ARTWORK_SOLD, "art.example") != message_id_for(
        first, EmailKind.PAYMENT_RECEIVED, "art.example"
    )


def test_mail_from_parses_into_a_mailbox() -> None:
    sender = Mailbox.parse("Art Market <hello@art.example>")
    assert (sender.name, sender.address, sender.domain) == ("Art Market", "hello@art.example", "art.example")
    with pytest.raises(InvalidMailbox):
        Mailbox.parse("Art <hello@art.example>\r\nBcc: x@y.z")


def test_unknown_ids_make_distinct_tokens() -> None:
    assert CODEC.token_for(uuid4()) != CODEC.token_for(uuid4())
    assert len(CODEC.token_for(TOKEN)) == 43
