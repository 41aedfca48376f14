"""The SMTP mailer on aiosmtplib: STARTTLS or implicit TLS, authentication, timeouts."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Literal

import aiosmtplib

from artmarket.adapters.mail.mime import to_mime
from artmarket.application.notifications.ports import MailerUnavailable, MailRejected, OutgoingEmail

TlsMode = Literal["starttls", "tls", "none"]


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to reach the SMTP server: the mailer sends through it, `doctor` checks it."""

    host: str
    port: int
    tls: TlsMode = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 10.0
    tls_context: ssl.SSLContext | None = None


class SmtpMailer:
    """Sends each message over a fresh connection (transactional mail is low volume).

    Accepted means the server answered 250 to DATA. A 5xx refusal of the recipient or of
    the message's content is `MailRejected` (permanent); anything else — a 4xx answer, a
    refused or dropped connection, a TLS failure, a timeout, and refusals of the session
    itself (failed authentication, STARTTLS required, sender refused) — is
    `MailerUnavailable`: those are the operator's to fix, and the message waits, not dies.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        tls: TlsMode = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.server = SmtpServer(host, port, tls, username, password, timeout, tls_context)

    async def send(self, email: OutgoingEmail) -> None:
        # Flattened here, with our policy: aiosmtplib's own would fold the Message-ID header.
        message = bytes(to_mime(email))
        try:
            await aiosmtplib.send(
                message,
                sender=email.sender.address,
                recipients=[email.to.address],
                hostname=self.server.host,
                port=self.server.port,
                username=self.server.username,
                password=self.server.password,
                use_tls=self.server.tls == "tls",
                start_tls=self.server.tls == "starttls",
                timeout=self.server.timeout,
                tls_context=self.server.tls_context,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refusal.code for refusal in error.recipients]
            detail = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
            if all(500 <= code < 600 for code in codes):
                raise MailRejected(f"recipient refused: {detail}") from error
            raise MailerUnavailable(f"recipient deferred: {detail}") from error
        except aiosmtplib.SMTPDataError as error:
            if 500 <= error.code < 600:  # the server refuses this very message
                raise MailRejected(f"{error.code} {error.message}") from error
            raise MailerUnavailable(f"{error.code} {error.message}") from error
        except aiosmtplib.SMTPResponseException as error:
            # Refusals of our session rather than of this message (authentication, STARTTLS
            # required, sender refused) are the operator's to fix: the message waits.
            raise MailerUnavailable(f"{error.code} {error.message}") from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ssl.SSLError) as error:
            raise MailerUnavailable(f"{type(error).__name__}: {error}") from error


class SmtpCheck:
    """`artmarket doctor`: connect, say EHLO, upgrade to TLS and sign in as configured; send nothing."""

    name = "mail"

    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    def __repr__(self) -> str:
        return f"SmtpCheck({self._server.host!r}, {self._server.port})"

    async def check(self) -> str:
        server = self._server
        client = aiosmtplib.SMTP(
            hostname=server.host,
            port=server.port,
            use_tls=server.tls == "tls",
            start_tls=server.tls == "starttls",
            timeout=server.timeout,
            tls_context=server.tls_context,
        )
        try:
            await client.connect()
            if server.username and server.password:
                await client.login(server.username, server.password)
            await client.quit()
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ssl.SSLError) as error:
            raise MailerUnavailable(f"{type(error).__name__}: {str(error)[:160]}") from None
        finally:
            client.close()
        signed_in = "signed in" if server.username else "no sign-in configured"
        return f"SMTP {server.host}:{server.port} ({server.tls}): connected, {signed_in}"
