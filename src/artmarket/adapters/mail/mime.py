"""One `OutgoingEmail` as a MIME message: multipart/alternative, plain text first, then HTML."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from artmarket.application.notifications.ports import Mailbox, OutgoingEmail

#: Strict about what goes out: the SMTP policy (CRLF line ends) refuses CR or LF in any
#: header value, on top of the checks `Mailbox` and `OutgoingEmail` already made. Lines
#: may be 998 characters (RFC 5322 2.1.1), so a Message-ID is never folded onto two lines.
SMTP_POLICY = policy.SMTP.clone(raise_on_defect=True, max_line_length=998)
_FIRST_LINK = re.compile(r"https?://[^\s<>\"']+")


def address(mailbox: Mailbox) -> Address:
    local, domain = mailbox.address.rsplit("@", 1)
    return Address(display_name=mailbox.name or "", username=local, domain=domain)


def to_mime(email: OutgoingEmail, *, date: str | None = None) -> EmailMessage:
    message = EmailMessage(policy=SMTP_POLICY)
    message["Message-ID"] = email.message_id
    message["Date"] = date or format_datetime(datetime.now(UTC))
    message["From"] = address(email.sender)
    message["To"] = address(email.to)
    message["Subject"] = email.subject
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies, please
    message.set_content(email.text, subtype="plain", charset="utf-8")
    message.add_alternative(email.html, subtype="html", charset="utf-8")
    return message


def first_link(text: str) -> str | None:
    found = _FIRST_LINK.search(text)
    return found.group(0) if found else None
