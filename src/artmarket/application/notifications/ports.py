"""Ports of notifications: the mailer and the delivery records."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Protocol
from uuid import UUID

from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery
from artmarket.domain.errors import DomainError, InvalidValue
from artmarket.domain.text import one_line

#: Any C0 control character or DEL: CR and LF above all, which would start a new header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: One @, a dot in the domain, nothing that has a meaning in an address header.
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"\\]{1,64}@[^@\s<>()\[\],;:\"\\]+\.[^@\s<>()\[\],;:\"\\]+$")
_MESSAGE_ID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")


class InvalidMailbox(InvalidValue):
    default_message = "This email address or name cannot be used in an email header."
    field = "email"


class MailerUnavailable(DomainError):
    """The mail system could not take the message now (down, timed out, 4xx): try again later."""

    default_message = "The mail server is unavailable."


class MailRejected(DomainError):
    """The mail system refused the message for good (5xx, e.g. an unknown recipient)."""

    default_message = "The mail server refused the message."


def single_line(text: str) -> str:
    """Control characters and whitespace runs (CR and LF included) as single spaces: safe in a header.

    Subjects and names carry what users typed (a title, a display name); text stored before
    control characters were refused must not make its email fail for good.
    """
    return one_line(text)


@dataclass(frozen=True, slots=True)
class Mailbox:
    """An address and an optional display name, refused if either could break a header."""

    address: str
    name: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.address, str) or _CONTROL.search(self.address):
            raise InvalidMailbox()
        if len(self.address) > 254 or not _ADDRESS.fullmatch(self.address):
            raise InvalidMailbox()
        if self.name is not None and (not isinstance(self.name, str) or _CONTROL.search(self.name)):
            raise InvalidMailbox()

    @classmethod
    def parse(cls, text: str) -> Mailbox:
        """`Name <address>` or a bare address (as in ARTMARKET_MAIL_FROM)."""
        if _CONTROL.search(text):
            raise InvalidMailbox()
        name, address = parseaddr(text)
        return cls(address, name or None)

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]


@dataclass(frozen=True, slots=True)
class OutgoingEmail:
    """One rendered message, ready for the mail system: a plain-text and an HTML part."""

    message_id: str
    sender: Mailbox
    to: Mailbox
    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        if not _MESSAGE_ID.fullmatch(self.message_id):
            raise InvalidValue("{message_id!r} is not a Message-ID.", message_id=self.message_id)
        if _CONTROL.search(self.subject):
            raise InvalidValue("A subject is one line of text.")


class Mailer(Protocol):
    """Hands one message to the mail system; returns only once it was accepted.

    Raises `MailerUnavailable` when it may work later and `MailRejected` when it never
    will. The Message-ID is the caller's, so a receiving system can recognise a repeat.
    """

    @abstractmethod
    async def send(self, email: OutgoingEmail) -> None: ...


class EmailDeliveryRepository(Protocol):
    """Emails to send, one per Message-ID.

    Transactional: `add` of a known Message-ID is refused at commit with
    `ConcurrentUpdate`, and so is the second of two transactions changing one delivery.
    """

    @abstractmethod
    def add(self, delivery: EmailDelivery) -> None: ...

    @abstractmethod
    async def get(self, delivery_id: UUID) -> EmailDelivery | None: ...

    @abstractmethod
    async def get_by_message_id(self, message_id: str) -> EmailDelivery | None: ...

    @abstractmethod
    async def due(self, now: datetime, *, limit: int) -> Sequence[EmailDelivery]:
        """Pending deliveries whose next attempt is due and that nobody holds, oldest first."""

    @abstractmethod
    async def list(self, *, status: DeliveryStatus | None, limit: int) -> Sequence[EmailDelivery]:
        """Newest first."""
