"""Run one of the pages' scripts (static/*.js) under Node, without a page: a small program loads
it (`window` is the global object) and answers JSON on stdout for the JSON it reads on stdin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from artmarket.entrypoints.web.rendering import STATIC

NODE = shutil.which("node")


def run_page_script(script: str, program: str, payload: Any) -> Any:
    """`program` runs with the script's path in `process.argv[1]`; skipped without Node, except on CI."""
    if NODE is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Node.js is needed to run the page's script")
        pytest.skip("Node.js is not installed")
    ran = subprocess.run(
        [NODE, "-e", program, str(STATIC / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(ran.stdout)
