"""The Mailer contract, run against the in-memory fake, the dev `.eml` mailer and the SMTP
mailer talking to a real SMTP server (aiosmtpd) the test starts.

Each implementation is read back through what it delivered (the fake's list, the files,
what the server accepted), never through how it did it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from tests.support.ports import free_port
from tests.support.smtp_server import SmtpServer

from artmarket.adapters.mail.files import FileMailer
from artmarket.adapters.mail.mime import to_mime
from artmarket.adapters.mail.smtp import SmtpMailer
from artmarket.application.notifications.ports import (
    Mailbox,
    Mailer,
    MailerUnavailable,
    MailRejected,
    OutgoingEmail,
)
from artmarket.fakes.mailer import InMemoryMailer


@dataclass(frozen=True)
class Delivered:
    message_id: str
    sender: str
    to: str
    subject: str
    text: str
    html: str

    @classmethod
    def of(cls, message: EmailMessage) -> Delivered:
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None
        assert html is not None
        return cls(
            message_id=str(message["Message-ID"]),
            sender=str(message["From"]),
            to=str(message["To"]),
            subject=str(message["Subject"]),
            text=text.get_content().replace("\r\n", "\n"),
            html=html.get_content().replace("\r\n", "\n"),
        )


@dataclass
class Subject:
    """One mailer, what it delivered, and how to make its mail system fail."""

    mailer: Mailer
    delivered: Callable[[], list[Delivered]]
    go_down: Callable[[], None]
    come_back: Callable[[], None]
    refuse: Callable[[str], None] | None


def _fake() -> Iterator[Subject]:
    mailer = InMemoryMailer()

    def down() -> None:
        mailer.available = False

    def up() -> None:
        mailer.available = True

    yield Subject(
        mailer,
        lambda: [Delivered.of(to_mime(email)) for email in mailer.sent],
        down,
        up,
        mailer.refused.add,
    )


def _dev(tmp_path: Path) -> Iterator[Subject]:
    directory = tmp_path / "mail"
    mailer = FileMailer(directory)

    def delivered() -> list[Delivered]:
        files = sorted(directory.glob("*.eml")) if directory.is_dir() else []
        return [Delivered.of(message_from_bytes(f.read_bytes(), policy=policy.default)) for f in files]

    def down() -> None:  # a file where the directory should be: the disk "refuses"
        if directory.is_dir():
            directory.rename(tmp_path / "mail.saved")
        directory.write_text("in the way")

    def up() -> None:
        directory.unlink()
        if (tmp_path / "mail.saved").is_dir():
            (tmp_path / "mail.saved").rename(directory)

    yield Subject(mailer, delivered, down, up, None)


def _smtp() -> Iterator[Subject]:
    server = SmtpServer(free_port())
    server.start()
    mailer = SmtpMailer("127.0.0.1", server.port, tls="none", timeout=5)
    try:
        yield Subject(
            mailer,
            lambda: [Delivered.of(received.message) for received in server.received],
            server.stop,
            server.start,
            server.refused.add,
        )
    finally:
        server.stop()


@pytest.fixture(params=["fake", "dev", "smtp"])
def subject(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Subject]:
    if request.param == "fake":
        yield from _fake()
    elif request.param == "dev":
        yield from _dev(tmp_path)
    else:
        yield from _smtp()


SENDER = Mailbox("no-reply@art.example", "artmarket")


def an_email(number: int = 1, *, to: str = "ada@example.com", name: str | None = "Ada Obi") -> OutgoingEmail:
    return OutgoingEmail(
        message_id=f"<0192c0de-0000-7000-8000-00000000000{number}.payment_received@art.example>",
        sender=SENDER,
        to=Mailbox(to, name),
        subject=f"Payment received for “Harmattan Light” #{number}",
        text=f"Hello Ada,\n\nWe received ₦25,000.00 — thank you! #{number}\nhttps://art.example/orders/1\n",
        html=f"<p>Hello Ada,</p><p>We received <strong>₦25,000.00</strong> — thank you! #{number}</p>\n",
    )


async def test_a_sent_message_arrives_once_with_both_parts_and_its_own_message_id(subject: Subject) -> None:
    email = an_email()

    await subject.mailer.send(email)

    assert subject.delivered() == [
        Delivered(
            message_id=email.message_id,
            sender="artmarket <no-reply@art.example>",
            to="Ada Obi <ada@example.com>",
            subject=email.subject,
            text=email.text,
            html=email.html,
        )
    ]


async def test_messages_arrive_in_the_order_they_were_sent(subject: Subject) -> None:
    for number in (1, 2, 3):
        await subject.mailer.send(an_email(number, name=None))

    delivered = subject.delivered()
    assert sorted(d.message_id for d in delivered) == sorted(an_email(n).message_id for n in (1, 2, 3))
    assert {d.to for d in delivered} == {"ada@example.com"}


async def test_an_unavailable_mail_system_is_reported_and_nothing_arrives_until_it_is_back(
    subject: Subject,
) -> None:
    subject.go_down()
    with pytest.raises(MailerUnavailable):
        await subject.mailer.send(an_email(1))
    subject.come_back()
    assert subject.delivered() == []

    await subject.mailer.send(an_email(2))

    assert [d.message_id for d in subject.delivered()] == [an_email(2).message_id]


async def test_a_refused_recipient_is_a_permanent_failure(subject: Subject) -> None:
    if subject.refuse is None:
        pytest.skip("the dev mailer writes every message; no recipient is ever refused")
    subject.refuse("nobody@example.com")

    with pytest.raises(MailRejected):
        await subject.mailer.send(an_email(1, to="nobody@example.com"))

    assert subject.delivered() == []
