"""The provenance trail: one public consensus-topic message per certificate event, in order.

A message names no person: holders and the order are hashed, so anyone who knows a holder
(or the order reference) can check an entry, and nobody can read one off the trail.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from uuid import UUID

#: The layout of a trail message; a reader refuses versions it does not know.
PROVENANCE_FORMAT: Final = "artmarket-provenance@1"


class ProvenanceEvent(enum.StrEnum):
    ISSUED = "issued"
    REVOKED = "revoked"
    CLAIMED = "claimed"
    TRANSFERRED = "transferred"


def holder_hash(certificate_id: UUID, holder: str) -> str:
    """A holder (a user id or a ledger account) as the trail shows it, salted by the certificate."""
    return hashlib.sha256(f"artmarket:holder:{certificate_id}:{holder}".encode()).hexdigest()


def order_hash(order_reference: str) -> str:
    """An order reference as the trail shows it."""
    return hashlib.sha256(f"artmarket:order:{order_reference}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ProvenanceFacts:
    """What one trail message says (before hashing: holders and order in the clear)."""

    certificate_id: UUID
    token_id: str
    serial: int
    event: ProvenanceEvent
    at: datetime
    order_reference: str
    holder_before: str | None = None
    holder_after: str | None = None
    #: Revocations carry their public reason category.
    reason: str | None = None

    def message(self) -> bytes:
        """The canonical bytes submitted to the topic (sorted keys, no spaces)."""
        document = {
            "format": PROVENANCE_FORMAT,
            "certificate": str(self.certificate_id),
            "token": self.token_id,
            "serial": self.serial,
            "event": self.event.value,
            "at": self.at.isoformat(),
            "order": order_hash(self.order_reference),
            "from": None
            if self.holder_before is None
            else holder_hash(self.certificate_id, self.holder_before),
            "to": None if self.holder_after is None else holder_hash(self.certificate_id, self.holder_after),
        }
        if self.reason is not None:
            document["reason"] = self.reason
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


@dataclass(eq=False)
class ProvenanceEntry:
    """One event of a certificate's trail. Its id is also the ledger task that records it.

    `position` is the entry's place in the certificate's trail (1, 2, …), fixed when it is
    written; the topic's sequence number comes from the ledger task once it is recorded.
    """

    id: UUID
    certificate_id: UUID
    position: int
    event: ProvenanceEvent
    created_at: datetime
    message: bytes = field(repr=False)
