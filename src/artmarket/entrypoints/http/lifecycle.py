"""Graceful shutdown of the API process: fail readiness, keep serving, stop listening, drain.

On SIGTERM (what orchestrators send) the process first *drains*: `/ready` answers 503 so
load balancers stop sending new work, every response asks its client to close the
connection (no idle keep-alive connection is left to race the shutdown), and requests
are still served as usual for `delay` seconds. Then uvicorn stops listening, waits up to
the grace period for the requests in flight, and the app's shutdown closes the pools.
SIGINT (Ctrl-C) skips the delay; a second signal forces the exit.
"""

from __future__ import annotations

import signal
import socket
import time
from types import FrameType

import structlog
import uvicorn
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("artmarket.lifecycle")


class Drain:
    """Whether this process was asked to stop; shared by the server, `/ready` and the middleware."""

    def __init__(self) -> None:
        self.draining = False

    def begin(self) -> None:
        self.draining = True


class DrainMiddleware:
    """While draining, every response carries `Connection: close`."""

    def __init__(self, app: ASGIApp, drain: Drain) -> None:
        self.app = app
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start" and self.drain.draining:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message["headers"] = [*headers, (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, send_closing)


class DrainingServer(uvicorn.Server):
    """uvicorn that fails readiness for `delay` seconds after SIGTERM before it shuts down.

    uvicorn's own shutdown then closes the listening socket, lets in-flight requests finish
    within `timeout_graceful_shutdown`, and runs the app's shutdown (pools closed). The
    signal is not re-raised afterwards: a drained process exits with status 0.
    """

    def __init__(self, config: uvicorn.Config, drain: Drain, *, delay: float) -> None:
        super().__init__(config)
        self.drain = drain
        self.delay = delay
        self._exit_at: float | None = None
        self._drain_announced = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.drain.draining or self.should_exit:
            # A second signal: stop now; after SIGINT twice, do not wait for connections.
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            self.should_exit = True
            return
        self.drain.begin()
        if sig == signal.SIGTERM and self.delay > 0:
            # No logging here: a signal handler that interrupts the main thread while it holds the
            # log writer's lock would wait on that lock forever. `on_tick` announces the drain.
            self._exit_at = time.monotonic() + self.delay
        else:
            self.should_exit = True

    async def on_tick(self, counter: int) -> bool:
        if self._exit_at is not None and not self._drain_announced:
            self._drain_announced = True
            log.info("draining: readiness fails, still serving", stop_listening_in=self.delay)
        if self._exit_at is not None and time.monotonic() >= self._exit_at:
            self.should_exit = True
        return await super().on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        log.info(
            "stopped listening; finishing requests in flight", grace=self.config.timeout_graceful_shutdown
        )
        await super().shutdown(sockets=sockets)
        log.info("shutdown complete")
