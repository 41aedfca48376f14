"""A NUL byte in a static or media path is a 404 (os.stat's ValueError was a 500)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.api import app_settings, running_app


@pytest.mark.parametrize("prefix", ["/media", "/static", "/api/docs-assets"])
async def test_a_nul_byte_in_a_file_path_is_not_found(tmp_path: Path, prefix: str) -> None:
    async with running_app(app_settings(tmp_path)) as api:
        for path in (f"{prefix}/%00", f"{prefix}/a%00b.css", f"{prefix}/%00/x.png"):
            answer = await api.client.get(path)
            assert answer.status_code == 404, (path, answer.text)
            assert answer.json()["type"].endswith("/not-found")
