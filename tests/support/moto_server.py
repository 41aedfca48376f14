"""A real S3-compatible server for the tests: `moto_server` (moto[server], a dev dependency) on loopback.

Without moto the S3 tests are skipped, except on CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.ports import free_port

#: What moto accepts; a real deployment takes its keys from the environment.
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}


def _moto_server_binary() -> str | None:
    if importlib.util.find_spec("moto") is None:
        return None
    beside_python = Path(sys.executable).parent / "moto_server"
    return str(beside_python) if beside_python.exists() else shutil.which("moto_server")


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3-compatible HTTP server (`moto_server` from `moto[server]`) for the session.

    Its output (a line per request) goes to a file: a pipe nobody reads fills up after a few
    hundred requests, and moto then blocks on its next log line, answering nothing more."""
    binary = _moto_server_binary()
    if binary is None:
        reason = "moto[server] is not installed (it is in the dev dependency group)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                stderr = log_path.read_text(errors="replace")
                pytest.fail(f"moto_server exited with {server.returncode}: {stderr[-2000:]}")
            try:
                with urllib.request.urlopen(endpoint, timeout=1):
                    break
            except urllib.error.HTTPError:
                break  # it answered
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not answer on {endpoint} within 30 s")
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
