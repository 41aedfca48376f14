"""The SMTP mailer against a real server: STARTTLS, implicit TLS, authentication, timeouts."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.contract.test_mailer import an_email
from tests.support.ports import free_port
from tests.support.smtp_server import HOST, Certificate, SmtpServer, self_signed_certificate

from artmarket.adapters.mail.smtp import SmtpMailer
from artmarket.application.notifications.ports import MailerUnavailable


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return self_signed_certificate(tmp_path)


@pytest.fixture
def starttls_server(certificate: Certificate) -> Iterator[SmtpServer]:
    server = SmtpServer(
        free_port(), tls="starttls", certificate=certificate, credentials=("artmarket", "s3cret")
    )
    server.start()
    yield server
    server.stop()


async def test_starttls_with_authentication_delivers(
    starttls_server: SmtpServer, certificate: Certificate
) -> None:
    mailer = SmtpMailer(
        HOST,
        starttls_server.port,
        tls="starttls",
        username="artmarket",
        password="s3cret",
        tls_context=certificate.client_context(),
    )

    await mailer.send(an_email())

    assert [r.message["Message-ID"] for r in starttls_server.received] == [an_email().message_id]
    assert starttls_server.received[0].rcpt_tos == ["ada@example.com"]


async def test_a_wrong_password_is_reported_as_unavailable_and_nothing_is_sent(
    starttls_server: SmtpServer, certificate: Certificate
) -> None:
    mailer = SmtpMailer(
        HOST,
        starttls_server.port,
        tls="starttls",
        username="artmarket",
        password="wrong",
        tls_context=certificate.client_context(),
    )

    with pytest.raises(MailerUnavailable, match=r"(?i)authentication"):
        await mailer.send(an_email())
    assert starttls_server.received == []


async def test_a_server_certificate_nobody_vouches_for_is_refused(starttls_server: SmtpServer) -> None:
    mailer = SmtpMailer(HOST, starttls_server.port, tls="starttls", username="artmarket", password="s3cret")

    with pytest.raises(MailerUnavailable):
        await mailer.send(an_email())
    assert starttls_server.received == []


async def test_implicit_tls_delivers(certificate: Certificate) -> None:
    server = SmtpServer(free_port(), tls="tls", certificate=certificate)
    server.start()
    try:
        mailer = SmtpMailer(HOST, server.port, tls="tls", tls_context=certificate.client_context())
        await mailer.send(an_email())
    finally:
        server.stop()
    assert len(server.received) == 1


async def test_a_server_that_never_answers_times_out_as_unavailable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind((HOST, 0))
        silent.listen(1)  # accepts connections, never greets
        mailer = SmtpMailer(HOST, silent.getsockname()[1], tls="none", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(MailerUnavailable):
            await mailer.send(an_email())
    assert time.monotonic() - started < 5


async def test_plain_smtp_to_a_server_requiring_starttls_is_refused(starttls_server: SmtpServer) -> None:
    mailer = SmtpMailer(HOST, starttls_server.port, tls="none")

    with pytest.raises((MailerUnavailable,)):
        await mailer.send(an_email())
    assert starttls_server.received == []
