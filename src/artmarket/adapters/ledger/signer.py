"""An external signer for the Hedera operator: a command that holds (or reaches) the key.

hiero-sdk-python 0.3.0 signs through a callback (`Client.set_operator_with`,
`Transaction.sign_with`: body bytes in, raw signature out). `CommandSigner` is that callback
over a process boundary, so the private key can stay in an HSM, a cloud KMS or a separate
signing service: the command receives the exact bytes to sign on stdin and writes the
signature to stdout, raw (64 bytes) or as hex. Ed25519 signs the bytes themselves; ECDSA
(secp256k1) signs their keccak-256 hash, `r || s` (as the SDK's own `PrivateKey.sign`).
"""

from __future__ import annotations

import binascii
import subprocess
from collections.abc import Sequence

SIGNATURE_BYTES = 64


class SignerFailed(RuntimeError):
    """The signing command failed or answered something that is not a signature."""


class CommandSigner:
    """Runs `argv` once per signature (the SDK signs one body per node a transaction may go to)."""

    def __init__(self, argv: Sequence[str], *, timeout: float = 10.0) -> None:
        if not argv:
            raise ValueError("The signer command is empty")
        self._argv = list(argv)
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"CommandSigner({self._argv[0]!r})"

    def __call__(self, body: bytes) -> bytes:
        try:
            done = subprocess.run(  # noqa: S603  # the operator's own configured command
                self._argv, input=body, capture_output=True, timeout=self._timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise SignerFailed(f"the signer could not run: {type(error).__name__}") from None
        if done.returncode != 0:
            reason = done.stderr.decode(errors="replace").strip().splitlines()
            raise SignerFailed(f"the signer exited {done.returncode}: {reason[0][:160] if reason else ''}")
        return _signature(done.stdout)


def _signature(output: bytes) -> bytes:
    if len(output) == SIGNATURE_BYTES:
        return output
    text = output.strip()
    if len(text) == 2 * SIGNATURE_BYTES:
        try:
            return binascii.unhexlify(text)
        except binascii.Error:
            pass
    raise SignerFailed(f"the signer wrote {len(output)} bytes, not a {SIGNATURE_BYTES}-byte signature")
