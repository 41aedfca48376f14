"""The emails a journey caused, read from the embedded profile's `.eml` files (`<data_dir>/mail`),
and their links followed in the browser as the recipient: none may be a dead end (issue #20 §5)."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

from playwright.sync_api import Page
from tests.e2e.conftest import Live

HREF = re.compile(r'href="([^"]+)"')
URL = re.compile(r"https?://[^\s<>\"']+")


def emails_to(live: Live, address: str) -> list[EmailMessage]:
    directory = Path(live.settings.data_dir) / "mail"
    files = sorted(directory.glob("*.eml"), key=lambda f: f.stat().st_mtime_ns) if directory.is_dir() else []
    messages = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    return [m for m in messages if m["To"].addresses[0].addr_spec == address]


def await_emails(live: Live, address: str, count: int, within: float = 20.0) -> list[EmailMessage]:
    """The emails to `address` once at least `count` are written (the app's worker sends them)."""
    deadline = time.monotonic() + within
    while len(found := emails_to(live, address)) < count:
        assert time.monotonic() < deadline, f"{len(found)} of {count} emails to {address}"
        time.sleep(0.1)
    return found


def site_links(message: EmailMessage, base: str) -> set[str]:
    """Every link to the site in both parts (a carrier's tracking page is not ours)."""
    found: set[str] = set()
    for subtype in ("html", "plain"):
        body = message.get_body(preferencelist=(subtype,))
        assert body is not None, f"{message['Subject']} has no {subtype} part"
        content = cast(EmailMessage, body).get_content()
        links = HREF.findall(content) if subtype == "html" else URL.findall(content)
        found |= {link.replace("&amp;", "&") for link in links}
    return {link for link in found if link == base or link.startswith(base + "/")}


def follow_email_links(page: Page, live: Live, address: str, count: int) -> int:
    """Open every site link of the (at least `count`) emails to `address` in `page`, where the
    recipient is signed in: each opens a page, none 404s. Returns how many were followed."""
    base = live.base_url.rstrip("/")
    links = set()
    for message in await_emails(live, address, count):
        links |= site_links(message, base)
    for link in sorted(links):
        answer = page.goto(link)
        assert answer is not None, link
        assert answer.status < 400, f"{link} answers {answer.status} to {address}"
    return len(links)
