"""The SIGTERM handler of `artmarket serve` does no I/O: the drain is announced from the event loop."""

from __future__ import annotations

import signal

import pytest
import structlog
import uvicorn
from structlog.testing import CapturingLogger

from artmarket.entrypoints.http import lifecycle
from artmarket.entrypoints.http.lifecycle import Drain, DrainingServer


async def _no_app(scope: object, receive: object, send: object) -> None:
    raise AssertionError("no request is served in this test")


async def test_sigterm_starts_the_drain_without_logging_and_the_next_tick_announces_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A handler that logs can interrupt the main thread while it holds the log writer's lock,
    # and then waits on that lock forever: the server hangs with its port open.
    captured = CapturingLogger()
    monkeypatch.setattr(lifecycle, "log", structlog.wrap_logger(captured, processors=[]))
    drain = Drain()
    server = DrainingServer(uvicorn.Config(_no_app), drain, delay=30)

    server.handle_exit(signal.SIGTERM, None)

    assert drain.draining
    assert not server.should_exit
    assert captured.calls == []

    assert await server.on_tick(1) is False
    assert await server.on_tick(2) is False
    announcements = [call for call in captured.calls if "draining" in str(call.kwargs.get("event"))]
    assert len(announcements) == 1
