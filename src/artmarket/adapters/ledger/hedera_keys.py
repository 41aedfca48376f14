"""The Hedera operator's and supply keys: parsed without ever echoing them, or an external signer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    PrivateKey,
    PublicKey,
)

KeyType = Literal["ed25519", "ecdsa"]
#: The SDK's signer callback: the exact body bytes in, the raw signature out (HSM, KMS, ...).
Signer = Callable[[bytes], bytes]

_RAW_KEY_HEX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A public key and what signs for it: a private key's `sign`, or an external signer.

    Kept out of every repr (the SDK's PrivateKey repr prints the key)."""

    public: PublicKey
    sign: Signer = field(repr=False)

    @classmethod
    def of(cls, key: PrivateKey) -> SigningKey:
        return cls(key.public_key(), key.sign)


@dataclass(frozen=True, slots=True)
class LedgerKeys:
    """The operator (payer, treasury, admin) and the supply key that signs mints."""

    operator: SigningKey
    supply: SigningKey


def operator_signing_key(
    key: str | None, key_type: KeyType | None, signer: Signer | None, public_key: str | None
) -> SigningKey:
    """The operator's key: its private key, or its public key (DER hex) and an external signer."""
    if (key is None) == (signer is None):
        raise ValueError("Give the operator's private key or an external signer, not both")
    if key is not None:
        return SigningKey.of(private_key(key, key_type, "operator_key"))
    try:
        public = PublicKey.from_string_der((public_key or "").strip().removeprefix("0x"))
    except Exception:
        raise ValueError("operator_public_key is not a DER-encoded public key (hex)") from None
    assert signer is not None
    return SigningKey(public, signer)


def private_key(value: str, key_type: KeyType | None, name: str) -> PrivateKey:
    """Parse a key without ever echoing it: DER hex, or raw hex with an explicit type."""
    text = value.strip().removeprefix("0x")
    try:
        if len(text) == _RAW_KEY_HEX_LENGTH:
            if key_type is None:
                raise ValueError
            parse = PrivateKey.from_string_ecdsa if key_type == "ecdsa" else PrivateKey.from_string_ed25519
            return parse(text)
        key = PrivateKey.from_string_der(text)
    except Exception:
        hint = "" if key_type or len(text) != _RAW_KEY_HEX_LENGTH else " (a raw hex key needs its key_type)"
        raise ValueError(f"{name} is not a usable private key{hint}") from None
    if key_type is not None and key.is_ecdsa() != (key_type == "ecdsa"):
        raise ValueError(f"{name} is not an {key_type} key")
    return key
