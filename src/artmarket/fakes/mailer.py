"""The in-memory mailer: a working fake that keeps what it was given, for tests."""

from __future__ import annotations

from artmarket.application.notifications.ports import MailerUnavailable, MailRejected, OutgoingEmail


class InMemoryMailer:
    """Keeps every accepted message in `sent`, in order.

    Set `available = False` to play a mail server that is down (`MailerUnavailable`), and
    add an address to `refused` to play one that refuses that recipient (`MailRejected`).
    """

    def __init__(self) -> None:
        self.sent: list[OutgoingEmail] = []
        self.available = True
        self.refused: set[str] = set()

    async def send(self, email: OutgoingEmail) -> None:
        if not self.available:
            raise MailerUnavailable("the fake mail server is down")
        if email.to.address in self.refused:
            raise MailRejected(f"550 no such user: {email.to.address}")
        self.sent.append(email)

    def to(self, address: str) -> list[OutgoingEmail]:
        return [email for email in self.sent if email.to.address == address]
