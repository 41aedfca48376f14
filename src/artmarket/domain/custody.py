"""A certificate's standing and its NFT's custody: valid or revoked, and who holds the token."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime, timedelta
from typing import Final

from artmarket.domain.errors import Conflict, InvalidValue

#: Letters and digits that cannot be confused when read off paper (no 0/o, 1/l/i).
_CODE_ALPHABET: Final = "23456789abcdefghjkmnpqrstuvwxyz"
#: 12 characters of 31 symbols: about 59 bits, so codes cannot be guessed by walking them.
PUBLIC_CODE_LENGTH: Final = 12


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"


class RevocationReason(enum.StrEnum):
    """The public category of a revocation; the details stay with the order and the audit log."""

    REFUNDED = "refunded"
    CHARGEBACK = "chargeback"
    ADMIN = "admin"


class CustodyKind(enum.StrEnum):
    """Who holds the NFT: the platform's treasury, an airdrop waiting in a wallet, or the wallet."""

    PLATFORM = "platform"
    PENDING_CLAIM = "pending_claim"
    WALLET = "wallet"


class CertificateRevoked(Conflict):
    default_message = "This certificate has been revoked."


class CertificateNotClaimable(Conflict):
    default_message = "This certificate cannot be claimed to a wallet now."


class NotAnAccountId(InvalidValue):
    field = "account_id"
    default_message = "Give a Hedera account id like 0.0.1234."


def new_public_code() -> str:
    """A short, unguessable code for the certificate's QR link (`/c/{code}`)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(PUBLIC_CODE_LENGTH))


def is_public_code(text: str) -> bool:
    return len(text) == PUBLIC_CODE_LENGTH and all(char in _CODE_ALPHABET for char in text)


def account_id(text: str) -> str:
    """A Hedera account id `shard.realm.num` (digits only, no checksum), or NotAnAccountId."""
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(part.isdigit() and len(part) <= 19 for part in parts):
        raise NotAnAccountId()
    return ".".join(str(int(part)) for part in parts)


def claimable_from(ready_since: datetime | None, wait: timedelta) -> datetime | None:
    """When a claim opens: `wait` (the refund window) after delivery or issue; None while neither happened."""
    return None if ready_since is None else ready_since + wait
