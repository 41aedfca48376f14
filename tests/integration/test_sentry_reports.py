"""Sentry over the wire: what sentry-sdk really sends for an error carries no secret.

A child process configures Sentry as artmarket does (`configure_sentry`) with a DSN pointing
at a local stand-in for Sentry's ingest endpoint, logs and raises an error full of secrets
and personal data, and flushes; the test reads the envelope that arrived.
"""

from __future__ import annotations

import gzip
import json
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.support.ports import free_port

PAYSTACK_KEY = "sk_live_" + secrets.token_hex(16)  # live-shaped, made at run time (never committed)
PASSWORD = "Pa55word-of-the-database"
CHILD = """
import logging, sys
from artmarket.adapters.observability.sentry import configure_sentry
import sentry_sdk

assert configure_sentry(sys.argv[1], environment="staging", release="v1.2.3")
def confirm(reference, key, delivery_address):
    raise RuntimeError(f"Paystack refused {key} for ada@example.com at postgresql://app:{sys.argv[3]}@db/app")
try:
    confirm("am-1", sys.argv[2], "12 Marina Road, Lagos")
except RuntimeError:
    logging.getLogger("artmarket.worker").exception("task failed for buyer ada@example.com from 10.1.2.3")
sentry_sdk.flush(timeout=10)
"""


class _Ingest(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def sentry_ingest() -> Iterator[tuple[str, list[bytes]]]:
    _Ingest.received = []
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), _Ingest)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://publickey@127.0.0.1:{port}/42", _Ingest.received
    finally:
        server.shutdown()
        server.server_close()


def test_an_error_reaches_sentry_without_its_secrets(
    sentry_ingest: tuple[str, list[bytes]], tmp_path: Path
) -> None:
    dsn, received = sentry_ingest
    child = subprocess.run(
        [sys.executable, "-c", CHILD, dsn, PAYSTACK_KEY, PASSWORD],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert child.returncode == 0, child.stderr

    assert received, "no envelope reached the ingest endpoint"
    sent = b"\n".join(received).decode()
    for secret in (PAYSTACK_KEY, PASSWORD, "ada@example.com", "10.1.2.3", "12 Marina Road"):
        assert secret not in sent, secret
    events = [
        json.loads(line) for line in sent.splitlines() if line.startswith("{") and '"exception"' in line
    ]
    assert events, sent[:2000]
    (event,) = events
    assert event["environment"] == "staging"
    assert event["release"] == "v1.2.3"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]
