"""Claiming a certificate's NFT to the owner's own account, on the simulated ledger: who may,
when, how (transfer or airdrop), and where custody goes as the ledger moves the NFT."""

from __future__ import annotations

import json
from datetime import timedelta
from uuid import uuid4

import pytest
from tests.contract.test_admin_queries import paid
from tests.support.claims import Claims, LaggingMirror, a_claimable_certificate
from tests.support.persistence import a_user, an_artwork, an_order, ships_to

from artmarket.application.messages import LedgerTaskSucceeded
from artmarket.application.minting.claims import ClaimUnderWay, TreasuryAccount
from artmarket.application.minting.revocation import RevokeCertificate
from artmarket.domain.certificates import Certificate, MintJob
from artmarket.domain.custody import (
    CertificateNotClaimable,
    CertificateRevoked,
    CustodyKind,
    NotAnAccountId,
    RevocationReason,
)
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role
from artmarket.domain.ledger_tasks import LedgerTaskKind, TaskStatus
from artmarket.domain.provenance import ProvenanceEvent, holder_hash
from artmarket.domain.shipments import DeliveryConfirmer, Shipment, Tracking

UNASSOCIATED = "0.0.5005"
ASSOCIATED = "0.0.6006"


def custody(certificate: Certificate) -> tuple[CustodyKind, str | None]:
    return certificate.custody, certificate.custody_account


async def claimed_entries(claims: Claims[LaggingMirror]) -> list[dict[str, object]]:
    return [json.loads(e.message) for e in await claims.trail() if e.event is ProvenanceEvent.CLAIMED]


async def test_an_unassociated_account_gets_an_airdrop_that_once_accepted_puts_the_nft_in_its_wallet() -> (
    None
):
    claims = await a_claimable_certificate()
    c = claims.certificate

    started = await claims.claim()(c.owner_id, c.id, f" {UNASSOCIATED} ")

    assert (started.task.kind, started.task.account_id) == (LedgerTaskKind.AIRDROP, UNASSOCIATED)
    assert (await claims.current()).custody is CustodyKind.PLATFORM  # not before the ledger says so
    await claims.run_ledger_tasks()
    assert custody(await claims.current()) == (CustodyKind.PENDING_CLAIM, UNASSOCIATED)
    assert claims.ledger.pending_airdrops_for(UNASSOCIATED) == [(c.token_id, c.serial)]
    assert await claims.settle_pending()() == 0  # not accepted yet: nothing changes

    claims.ledger.claim_airdrop(c.token_id, c.serial, UNASSOCIATED)
    assert await claims.settle_pending()() == 1
    assert await claims.settle_pending()() == 0

    assert custody(await claims.current()) == (CustodyKind.WALLET, UNASSOCIATED)
    (entry,) = await claimed_entries(claims)
    assert entry["from"] == holder_hash(c.id, str(c.owner_id))
    assert entry["to"] == holder_hash(c.id, UNASSOCIATED)
    await claims.run_ledger_tasks()  # the trail message goes to the topic
    async with claims.minting.new_uow() as uow:
        trail = await uow.provenance.trail(c.id)
    assert [(e.event, t.sequence_number) for e, t in trail] == [
        (ProvenanceEvent.ISSUED, 1),
        (ProvenanceEvent.CLAIMED, 2),
    ]


async def test_an_associated_account_gets_a_direct_transfer_and_the_claim_is_recorded_once() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    claims.ledger.associate(ASSOCIATED, c.token_id)

    started = await claims.claim()(c.owner_id, c.id, ASSOCIATED)
    (task,) = await claims.run_ledger_tasks()
    # The success is delivered again (at least once): nothing more happens.
    await claims.settle().handle(LedgerTaskSucceeded(task.id, c.id, "transfer"))

    assert started.task.kind is LedgerTaskKind.TRANSFER
    nft = await claims.ledger.nft(c.token_id, c.serial)
    assert nft is not None
    assert nft.owner_account == ASSOCIATED
    assert custody(await claims.current()) == (CustodyKind.WALLET, ASSOCIATED)
    assert len(await claimed_entries(claims)) == 1


async def test_a_claim_before_the_refund_window_closes_is_refused_saying_from_when() -> None:
    claims = await a_claimable_certificate(age=timedelta(days=3))
    c = claims.certificate

    with pytest.raises(CertificateNotClaimable) as refused:
        await claims.claim()(c.owner_id, c.id, UNASSOCIATED)

    opens = c.issued_at + timedelta(days=14)
    assert f"{opens:%d %b %Y}" in refused.value.message
    assert await claims.custody_tasks() == []
    outlook = await claims.describe()(c.owner_id, c.id)
    assert (outlook.claimable, outlook.opens_at) == (False, opens)


async def test_someone_elses_certificate_is_not_found_and_bad_accounts_are_refused() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate

    with pytest.raises(NotFound):
        await claims.claim()(uuid4(), c.id, UNASSOCIATED)
    with pytest.raises(NotFound):
        await claims.describe()(uuid4(), c.id)
    for malformed in ("5005", "0.0.x", "0.0.5005-abcde", ""):
        with pytest.raises(NotAnAccountId):
            await claims.claim()(c.owner_id, c.id, malformed)
    with pytest.raises(TreasuryAccount):
        await claims.claim()(c.owner_id, c.id, claims.ledger.treasury_account)
    assert await claims.custody_tasks() == []


async def test_one_claim_at_a_time_and_none_once_revoked() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    await claims.claim()(c.owner_id, c.id, UNASSOCIATED)

    with pytest.raises(ClaimUnderWay):
        await claims.claim()(c.owner_id, c.id, ASSOCIATED)
    await claims.run_ledger_tasks()
    with pytest.raises(CertificateNotClaimable):  # the airdrop waits in the wallet
        await claims.claim()(c.owner_id, c.id, ASSOCIATED)

    other = await a_claimable_certificate()
    async with other.minting.new_uow() as uow:
        revoked = await uow.certificates.get(other.certificate.id)
        assert revoked is not None
        revoked.revoke(RevocationReason.REFUNDED, other.clock.now())
        await uow.commit()
    with pytest.raises(CertificateRevoked):
        await other.claim()(other.certificate.owner_id, other.certificate.id, UNASSOCIATED)


async def test_an_airdrop_left_pending_too_long_is_cancelled_and_custody_returns_to_the_platform() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    await claims.claim()(c.owner_id, c.id, UNASSOCIATED)
    await claims.run_ledger_tasks()

    claims.clock.advance(timedelta(days=29))
    assert await claims.settle_pending()() == 0
    claims.clock.advance(timedelta(days=1))
    assert await claims.settle_pending()() == 1
    assert await claims.settle_pending()() == 0  # one cancellation per airdrop
    (cancel,) = await claims.run_ledger_tasks()

    assert (cancel.kind, cancel.status) == (LedgerTaskKind.CANCEL_AIRDROP, TaskStatus.SUCCEEDED)
    assert custody(await claims.current()) == (CustodyKind.PLATFORM, None)
    assert claims.ledger.pending_airdrops_for(UNASSOCIATED) == []
    assert await claimed_entries(claims) == []
    # The owner may claim again, to an account that accepts the token this time.
    claims.ledger.associate(UNASSOCIATED, c.token_id)
    again = await claims.claim()(c.owner_id, c.id, UNASSOCIATED)
    assert again.task.kind is LedgerTaskKind.TRANSFER


async def test_a_transfer_the_ledger_refuses_leaves_custody_with_the_platform_and_says_so() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    claims.ledger.associate(ASSOCIATED, c.token_id)
    await claims.claim()(c.owner_id, c.id, ASSOCIATED)
    # The NFT is burned before the transfer reaches the ledger.
    await claims.ledger.submit(await claims.ledger.prepare_burn(c.token_id, c.serial))

    (task,) = await claims.run_ledger_tasks()

    assert task.status is TaskStatus.FAILED
    assert custody(await claims.current()) == (CustodyKind.PLATFORM, None)
    outlook = await claims.describe()(c.owner_id, c.id)
    assert outlook.failed is not None
    assert outlook.failed.last_error is not None
    assert outlook.under_way is None


async def test_a_physical_work_is_claimable_once_the_refund_window_after_its_delivery_closed() -> None:
    claims = await a_claimable_certificate()
    now = claims.clock.now()
    artist, buyer = a_user("Ada", role=Role.ARTIST, at=now), a_user("Bola", at=now)
    work = an_artwork(artist, delivery=ships_to((("NG",), 250_000)), at=now)
    order = paid(an_order(buyer, work, at=now), now)
    shipment = Shipment.start(order_id=order.id, artist_id=artist.id, buyer_id=buyer.id, now=now)
    job = MintJob(uuid4(), order.id, now)
    job.draw_up(claims.certificate.artwork, b"{}", "ipfs://bafkreidoc")
    job.submit("0.0.2@1780000000.000000001", now, now, token_id=claims.certificate.token_id)
    job.succeed(99, now)
    certificate = job.certificate(owner_id=buyer.id, network="simulated", issued_at=now, public_code="x")
    async with claims.minting.new_uow() as uow:
        for user in (artist, buyer):
            uow.users.add(user)
        uow.artworks.add(work)
        uow.orders.add(order)
        uow.shipments.add(shipment)
        uow.certificates.add(certificate)
        await uow.commit()
    claim = claims.claim()

    with pytest.raises(CertificateNotClaimable, match="once the work is delivered"):
        await claim(buyer.id, certificate.id, UNASSOCIATED)
    async with claims.minting.new_uow() as uow:
        stored = await uow.shipments.get(order.id)
        assert stored is not None
        stored.ship(Tracking.of("DHL", "JD0146", None), now)
        claims.clock.advance(timedelta(days=5))
        stored.confirm_delivery(claims.clock.now(), by=DeliveryConfirmer.BUYER)
        await uow.commit()
    delivered = claims.clock.now()
    claims.clock.advance(timedelta(days=14) - timedelta(minutes=1))
    with pytest.raises(CertificateNotClaimable, match=f"{delivered + timedelta(days=14):%d %b %Y}"):
        await claims.claim()(buyer.id, certificate.id, UNASSOCIATED)
    claims.clock.advance(timedelta(minutes=1))

    started = await claims.claim()(buyer.id, certificate.id, UNASSOCIATED)

    assert (started.task.kind, started.task.certificate_id) == (LedgerTaskKind.AIRDROP, certificate.id)


async def test_a_certificate_revoked_while_its_airdrop_waits_gets_the_airdrop_cancelled_then_burned() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    await claims.claim()(c.owner_id, c.id, UNASSOCIATED)
    await claims.run_ledger_tasks()
    m = claims.minting

    await RevokeCertificate(m.new_uow(), m.ids, claims.clock)(c.order_id, RevocationReason.REFUNDED)
    await claims.run_ledger_tasks()  # the cancellation; the burn is queued once it succeeded
    await claims.run_ledger_tasks()  # the burn

    kinds = [(t.kind, t.status) for t in await claims.custody_tasks()]
    assert kinds == [
        (LedgerTaskKind.AIRDROP, TaskStatus.SUCCEEDED),
        (LedgerTaskKind.CANCEL_AIRDROP, TaskStatus.SUCCEEDED),
        (LedgerTaskKind.BURN, TaskStatus.SUCCEEDED),
    ]
    assert custody(await claims.current()) == (CustodyKind.PLATFORM, None)
    assert claims.ledger.pending_airdrops_for(UNASSOCIATED) == []
    nft = await claims.ledger.nft(c.token_id, c.serial)
    assert nft is not None
    assert nft.owner_account is None  # burned
    assert await claims.settle_pending()() == 0


async def test_a_transfer_the_mirror_does_not_show_yet_waits_in_pending_claim_never_cancelled() -> None:
    claims = await a_claimable_certificate()
    c = claims.certificate
    claims.ledger.associate(ASSOCIATED, c.token_id)
    await claims.claim()(c.owner_id, c.id, ASSOCIATED)
    claims.ledger.lagging = True

    (transfer,) = await claims.run_ledger_tasks()
    claims.clock.advance(timedelta(days=31))
    assert await claims.settle_pending()() == 0

    assert transfer.status is TaskStatus.SUCCEEDED
    assert custody(await claims.current()) == (CustodyKind.PENDING_CLAIM, ASSOCIATED)
    assert [t.kind for t in await claims.custody_tasks()] == [LedgerTaskKind.TRANSFER]  # no cancellation
    claims.ledger.lagging = False
    assert await claims.settle_pending()() == 1
    assert custody(await claims.current()) == (CustodyKind.WALLET, ASSOCIATED)
    assert len(await claimed_entries(claims)) == 1
