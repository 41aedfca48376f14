"""Redis fixtures: a throwaway `redis-server` per test session (per xdist worker), emptied
before every test that asks for `redis_url`; and `RecordingWorker`, a taskiq worker whose
dispatch task only records what it is given.

The server keeps its data in an append-only file, so a test can `stop()` it (an outage)
and `start()` it again on the same port and directory with its streams and consumer
groups intact. Without `redis-server` the Redis tests are skipped, except on CI
(`CI=true`), where a missing server is a failure.

Register with `pytest_plugins = ["tests.support.redis_server"]`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from uuid import UUID

import pytest
import redis
from taskiq import AsyncBroker
from taskiq.receiver import Receiver

from artmarket.adapters.observability.tracing import current_trace_context
from artmarket.adapters.queue.taskiq_queue import DISPATCH_TASK
from artmarket.adapters.queue.tracing import TraceContextMiddleware
from artmarket.application.messaging import Topic
from tests.support.ports import free_port

REDIS_HOST = "127.0.0.1"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


class RedisServer:
    """A `redis-server` subprocess on loopback with AOF persistence in `directory`."""

    def __init__(self, binary: str, directory: Path, port: int) -> None:
        self.binary = binary
        self.directory = directory
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{REDIS_HOST}:{self.port}/0"

    @property
    def log_path(self) -> Path:
        return self.directory / "redis.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ping(self) -> bool:
        client = redis.Redis(host=REDIS_HOST, port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        """Start (or restart) on the same port and directory; returns once PING answers."""
        if self.running:
            return
        self._log = self.log_path.open("ab")
        options = {
            "--port": str(self.port),
            "--bind": REDIS_HOST,
            "--save": "",
            "--appendonly": "yes",
            "--dir": str(self.directory),
            "--daemonize": "no",
        }
        self._process = subprocess.Popen(
            [self.binary, *(part for option in options.items() for part in option)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._close_log()
                raise RuntimeError(
                    f"redis-server exited ({self._process.returncode}) on port {self.port}:\n"
                    + self.log_path.read_text(errors="replace")[-2000:]
                )
            if self.ping():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server on port {self.port} did not answer PING within {START_TIMEOUT} s")

    def stop(self) -> None:
        """SIGTERM and wait: Redis flushes the append-only file, so `start()` finds the data."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()

    def flushall(self) -> None:
        client = redis.Redis.from_url(self.url, socket_timeout=5)
        try:
            client.flushall()
        finally:
            client.close()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _start_server(binary: str, directory: Path) -> RedisServer:
    last_error: Exception | None = None
    for _attempt in range(3):  # another process (or xdist worker) may take the free port first
        server = RedisServer(binary, directory, free_port())
        try:
            server.start()
        except RuntimeError as error:
            last_error = error
            time.sleep(0.2)
            continue
        return server
    raise RuntimeError(f"redis-server did not start: {last_error}")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One Redis server for the whole session (for each xdist worker); stoppable for outages."""
    binary = os.environ.get("ARTMARKET_REDIS_SERVER") or shutil.which("redis-server")
    if binary is None:
        reason = "redis-server not found (install it or set ARTMARKET_REDIS_SERVER)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    server = _start_server(binary, tmp_path_factory.mktemp("redis"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """`redis://127.0.0.1:PORT/0` on an empty server (running again if a test left it stopped)."""
    redis_server.start()
    redis_server.flushall()
    return redis_server.url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever uses the Redis server carries the `redis` marker (`-m "not redis"`)."""
    for item in items:
        if "redis_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.redis)


Delivery = tuple[Topic, dict[str, str], UUID]


@dataclass
class RecordingWorker:
    """A worker (as `run_worker`, one task at a time) whose dispatch task records deliveries in order.

    `start()` registers the task and listens in a background task; `stop()` sets the
    receiver's finish event, waits for it and shuts the broker down.
    """

    broker: AsyncBroker
    deliveries: list[Delivery] = field(default_factory=list)
    #: The trace context each task ran in (as the worker's tracing middleware set it up).
    traces: list[dict[str, str]] = field(default_factory=list)
    #: The message version each task was given (1 when the sender gave none, as before versions).
    versions: list[int] = field(default_factory=list)
    _finish: asyncio.Event = field(default_factory=asyncio.Event)
    _listening: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        deliveries, traces, versions = self.deliveries, self.traces, self.versions
        self.broker.add_middlewares(TraceContextMiddleware())

        @self.broker.task(task_name=DISPATCH_TASK)
        async def dispatch(topic: str, payload: dict[str, str], message_id: str, version: int = 1) -> None:
            traces.append(current_trace_context())
            versions.append(version)
            deliveries.append((Topic(topic), payload, UUID(message_id)))

    async def start(self) -> None:
        self.broker.is_worker_process = True
        # A single consumer running one task at a time, so arrival order is observable.
        receiver = Receiver(self.broker, max_async_tasks=1, propagate_exceptions=False, wait_tasks_timeout=5)
        self._listening = asyncio.create_task(receiver.listen(self._finish))

    async def stop(self) -> None:
        """Stop listening and shut the broker down; a worker that crashed fails the test here."""
        self._finish.set()
        try:
            if self._listening is not None:
                await asyncio.wait_for(self._listening, timeout=10)
        except Exception as error:
            raise AssertionError(f"the worker crashed: {error!r}") from error
        finally:
            await self.broker.shutdown()

    async def take(self, count: int, *, within: float = 5.0, settle: float = 0.3) -> list[Delivery]:
        """Wait up to `within` seconds for `count` deliveries and `settle` more for any extra one,
        then hand over (and forget) everything delivered."""
        deadline = time.monotonic() + within
        while len(self.deliveries) < count and time.monotonic() < deadline:
            if self._listening is not None and self._listening.done():
                error = self._listening.exception()
                raise AssertionError(f"the worker stopped listening: {error!r}") from error
            await asyncio.sleep(0.02)
        await asyncio.sleep(settle)
        taken = list(self.deliveries)
        self.deliveries.clear()
        return taken
