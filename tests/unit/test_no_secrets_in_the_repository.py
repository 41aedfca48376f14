"""No secret is committed: every file git tracks is scanned for the shapes real secrets take.

Development-only values (the dev JWT secret, the sandbox key) are named as such in the code
and refused by the production profile; test keys are generated at run time."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHAPES = {
    "a live Paystack key": re.compile(rb"sk_live_[0-9a-zA-Z]{20,}"),
    "a PEM private key": re.compile(rb"-----BEGIN (?:RSA |EC |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "an AWS access key id": re.compile(rb"\bAKIA[0-9A-Z]{16}\b"),
    "a DER Ed25519 private key": re.compile(rb"302e020100300506032b657004220420[0-9a-fA-F]{64}"),
    "a DER ECDSA secp256k1 private key": re.compile(rb"3030020100300706052b8104000a04220420[0-9a-fA-F]{64}"),
}


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"not a git checkout: {error}")
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_holds_a_secret() -> None:
    found = []
    for path in tracked_files():
        if not path.is_file():
            continue
        data = path.read_bytes()
        found += [f"{path.relative_to(ROOT)}: {what}" for what, shape in SHAPES.items() if shape.search(data)]
    assert found == []
