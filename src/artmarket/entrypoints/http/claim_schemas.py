"""msgspec structs of the claim route: the account asked for, and the custody and claim it started."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from artmarket.application.minting.claims import ClaimStarted
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import CustodyKind


class ClaimIn(msgspec.Struct, forbid_unknown_fields=True):
    """The owner's own Hedera account, `0.0.N`."""

    account_id: Annotated[str, msgspec.Meta(max_length=64)]


class CustodyOut(msgspec.Struct):
    """Who holds the NFT: `platform` (the treasury account), `pending_claim` or `wallet` (the owner's)."""

    kind: str
    account_id: str | None

    @classmethod
    def of(cls, certificate: Certificate, treasury_account: str) -> CustodyOut:
        in_treasury = certificate.custody is CustodyKind.PLATFORM
        return cls(
            certificate.custody.value, treasury_account if in_treasury else certificate.custody_account
        )


class ClaimTaskOut(msgspec.Struct):
    """`transfer` to an account that accepts the token, else `airdrop` (accept it in the wallet)."""

    method: str
    account_id: str
    status: str


class ClaimOut(msgspec.Struct):
    certificate_id: UUID
    custody: CustodyOut
    claim: ClaimTaskOut

    @classmethod
    def of(cls, started: ClaimStarted) -> ClaimOut:
        task = started.task
        return cls(
            certificate_id=started.certificate.id,
            custody=CustodyOut.of(started.certificate, started.treasury_account),
            claim=ClaimTaskOut(task.kind.value, task.account_id or "", task.status.value),
        )
