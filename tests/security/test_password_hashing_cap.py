"""Password hashing never runs on an event loop's thread and never more at once than
ARTMARKET_PASSWORD_HASHING_CONCURRENCY, however many sign-ups arrive together: 16 parallel
sign-ups used to take every thread of the default pool (and both cores) at once, and pushed
the gallery's latency from 45 ms to 1 s."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import argon2._password_hasher as argon2_hasher
import httpx
import pytest
from argon2.low_level import hash_secret, verify_secret
from tests.support.api import PASSWORD, app_settings
from tests.support.live_server import live_server
from tests.support.ports import free_port

from artmarket.bootstrap import create_app, upgrade_database

PARALLEL_SIGN_UPS = 16


@dataclass
class HashingWatch:
    """Wraps argon2-cffi's own hashing functions: counts how many run at once, and where."""

    running: int = 0
    most_at_once: int = 0
    calls: int = 0
    on_an_event_loop: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def watched(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.running += 1
                self.calls += 1
                self.most_at_once = max(self.most_at_once, self.running)
                self.on_an_event_loop += _thread_runs_an_event_loop()
            try:
                time.sleep(0.02)  # a real cost's worth of overlap, so concurrency would show
                return real(*args, **kwargs)
            finally:
                with self._lock:
                    self.running -= 1

        return watched


def _thread_runs_an_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> HashingWatch:
    watch = HashingWatch()
    monkeypatch.setattr(argon2_hasher, "hash_secret", watch.wrap(hash_secret))
    monkeypatch.setattr(argon2_hasher, "verify_secret", watch.wrap(verify_secret))
    return watch


@pytest.mark.parametrize("cap", [1, 3])
async def test_parallel_sign_ups_hash_at_most_cap_at_once_and_off_the_event_loop(
    tmp_path: Path, watch: HashingWatch, cap: int
) -> None:
    settings = app_settings(tmp_path, password_hashing_concurrency=str(cap))
    await asyncio.to_thread(upgrade_database, settings)
    # A real server on loopback: requests reach the app at the same time, as they do in production.
    with live_server(create_app(settings), free_port()) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            watch.most_at_once = watch.calls = 0  # start-up hashed the sign-in decoy
            answers = await asyncio.gather(
                *(
                    client.post(
                        "/api/v1/auth/register",
                        json={
                            "email": f"rush{n}@example.com",
                            "password": PASSWORD,
                            "display_name": "Rush",
                            "role": "buyer",
                        },
                    )
                    for n in range(PARALLEL_SIGN_UPS)
                )
            )
            signed_in = await asyncio.gather(
                *(
                    client.post(
                        "/api/v1/auth/login", json={"email": f"rush{n}@example.com", "password": PASSWORD}
                    )
                    for n in range(PARALLEL_SIGN_UPS)
                )
            )

    assert [a.status_code for a in answers] == [201] * PARALLEL_SIGN_UPS
    assert [a.status_code for a in signed_in] == [200] * PARALLEL_SIGN_UPS
    assert watch.calls >= 2 * PARALLEL_SIGN_UPS
    assert watch.most_at_once == cap  # reached under this load, never exceeded
    assert watch.on_an_event_loop == 0
