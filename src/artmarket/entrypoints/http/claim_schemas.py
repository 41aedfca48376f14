"""msgspec structs of the claim route: the account asked for, and the custody and claim it started."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from artmarket.application.minting.claims import ClaimStarted
from artmarket.entrypoints.http.minting_schemas import CertificateCustody


class ClaimIn(msgspec.Struct, forbid_unknown_fields=True):
    """The owner's own Hedera account, `0.0.N`."""

    account_id: Annotated[str, msgspec.Meta(max_length=64)]


class ClaimTaskOut(msgspec.Struct):
    """`transfer` to an account that accepts the token, else `airdrop` (accept it in the wallet)."""

    method: str
    account_id: str
    status: str


class ClaimOut(msgspec.Struct):
    """The certificate's custody (still the platform's until the ledger shows the move) and the claim."""

    certificate_id: UUID
    custody: CertificateCustody
    claim: ClaimTaskOut

    @classmethod
    def of(cls, started: ClaimStarted) -> ClaimOut:
        task = started.task
        return cls(
            certificate_id=started.certificate.id,
            custody=CertificateCustody.of(started.certificate, started.treasury_account),
            claim=ClaimTaskOut(task.kind.value, task.account_id or "", task.status.value),
        )
