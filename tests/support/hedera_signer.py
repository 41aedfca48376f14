"""A stand-in for an HSM or KMS signing command: `python hedera_signer.py KEY_FILE [--hex]`.

Reads the bytes to sign on stdin, signs them with the DER-hex private key in KEY_FILE (as
a key service would, the key never entering artmarket's process) and writes the raw
signature to stdout (hex with `--hex`). Each call is appended to `KEY_FILE.calls`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hiero_sdk_python import PrivateKey  # type: ignore[import-untyped]  # no py.typed in 0.3.0


def main() -> None:
    key_file = Path(sys.argv[1])
    body = sys.stdin.buffer.read()
    signature = PrivateKey.from_string_der(key_file.read_text().strip()).sign(body)
    with key_file.with_suffix(".calls").open("a") as calls:
        calls.write(f"{len(body)}\n")
    sys.stdout.buffer.write(signature.hex().encode() if "--hex" in sys.argv else signature)


if __name__ == "__main__":
    main()
