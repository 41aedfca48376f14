"""The development mailer: each message becomes an `.eml` file, and one log line says what was sent."""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

import structlog

from artmarket.adapters.mail.mime import first_link, to_mime
from artmarket.application.notifications.ports import MailerUnavailable, OutgoingEmail

log = structlog.get_logger("artmarket.mail")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class FileMailer:
    """Writes `<directory>/<message id>.eml` (open it with any mail client).

    The file is named after the Message-ID, so a message sent twice is still one file;
    it is written to a temporary name and renamed, so a reader never sees half of it.
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def path_for(self, message_id: str) -> Path:
        return self._directory / (_UNSAFE.sub("_", message_id.strip("<>")) + ".eml")

    async def send(self, email: OutgoingEmail) -> None:
        data = bytes(to_mime(email))
        try:
            await asyncio.to_thread(self._write, self.path_for(email.message_id), data)
        except OSError as error:
            raise MailerUnavailable(f"cannot write the message: {error.strerror}") from error
        log.info("email", to=email.to.address, subject=email.subject, link=first_link(email.text))

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(data)
        partial.replace(path)
