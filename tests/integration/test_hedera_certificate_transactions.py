"""HederaLedger's certificate transactions against the fake node: crashes, restarts, retries, accounts.

Every test runs the real hiero-sdk-python client over real gRPC on loopback; faults are
injected in the fake node (`tests.support.fake_hedera_mirror.FakeHederaNetwork`).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from hiero_sdk_python import (  # type: ignore[import-untyped]  # no py.typed in 0.3.0
    AccountId,
    Client,
    NftId,
    PrivateKey,
    TokenId,
)
from hiero_sdk_python.tokens.token_airdrop_claim import TokenClaimAirdropTransaction  # type: ignore[import-untyped]
from hiero_sdk_python.tokens.token_airdrop_pending_id import PendingAirdropId  # type: ignore[import-untyped]
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.hedera_fixtures import HEDERA_OPERATOR_ID

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.application.minting.certificate_transactions import PreparedTransaction
from artmarket.application.minting.ledger import LedgerRejected, LedgerUnavailable

COLLECTOR = "0.0.5005"
#: Longer than a node keeps receipts (180 s) and than a transaction's valid window (120 s).
LONG_AFTER = 600.0

MakeLedger = Callable[..., HederaLedger]


@dataclass
class Effect:
    """One certificate transaction ready to submit, and how to count what it did on the node."""

    prepared: PreparedTransaction
    count: Callable[[], int]


async def a_minted_nft(ledger: HederaLedger) -> str:
    token_id = await ledger.create_collection(name="Atelier Certificates", symbol="ACOA", max_supply=10)
    await ledger.submit_mint(await ledger.prepare_mint(token_id, [b"ipfs://bafkreicertificate01"]))
    return token_id


async def a_burn(node: FakeHederaNetwork, ledger: HederaLedger) -> Effect:
    token_id = await a_minted_nft(ledger)
    return Effect(await ledger.prepare_burn(token_id, 1), lambda: len(node.burned))


async def a_message(node: FakeHederaNetwork, ledger: HederaLedger) -> Effect:
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    prepared = await ledger.prepare_topic_message(topic_id, b'{"event":"issued"}')
    return Effect(prepared, lambda: len(node.topics[topic_id].messages))


async def a_transfer(node: FakeHederaNetwork, ledger: HederaLedger) -> Effect:
    token_id = await a_minted_nft(ledger)
    node.open_account(COLLECTOR)
    node.associate(COLLECTOR, token_id)
    return Effect(await ledger.prepare_transfer(token_id, 1, COLLECTOR), lambda: len(node.owners))


TRANSACTIONS: dict[str, Callable[[FakeHederaNetwork, HederaLedger], Awaitable[Effect]]] = {
    "burn": a_burn,
    "topic message": a_message,
    "transfer": a_transfer,
}


@pytest.mark.parametrize("make", TRANSACTIONS.values(), ids=TRANSACTIONS.keys())
async def test_a_crash_after_acceptance_settles_once_when_the_stored_bytes_are_resubmitted(
    fake_hedera_node: FakeHederaNetwork,
    hedera_ledger: HederaLedger,
    make: Callable[[FakeHederaNetwork, HederaLedger], Awaitable[Effect]],
) -> None:
    effect = await make(fake_hedera_node, hedera_ledger)
    fake_hedera_node.crash_after_accept_next()

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit(effect.prepared)
    outcome = await hedera_ledger.submit(effect.prepared)

    assert outcome.transaction_id == effect.prepared.transaction_id
    assert effect.count() == 1
    assert await hedera_ledger.transaction_outcome(effect.prepared.transaction_id) == outcome
    assert effect.count() == 1


@pytest.mark.parametrize("make", TRANSACTIONS.values(), ids=TRANSACTIONS.keys())
async def test_a_crash_after_acceptance_is_settled_by_its_id_after_a_restart_long_after(
    fake_hedera_node: FakeHederaNetwork,
    make_hedera_ledger: MakeLedger,
    make: Callable[[FakeHederaNetwork, HederaLedger], Awaitable[Effect]],
) -> None:
    before = make_hedera_ledger()
    effect = await make(fake_hedera_node, before)
    fake_hedera_node.crash_after_accept_next()
    with pytest.raises(LedgerUnavailable):
        await before.submit(effect.prepared)
    await before.aclose()
    fake_hedera_node.advance_clock(LONG_AFTER)  # the node forgot the receipt; the window closed

    after = make_hedera_ledger()

    outcome = await after.transaction_outcome(effect.prepared.transaction_id)
    assert outcome is not None
    assert outcome.consensus_timestamp is not None, "the mirror node answered"
    assert await after.submit(effect.prepared) == outcome, "resubmitting is answered, not redone"
    assert effect.count() == 1


async def test_a_topic_message_settled_by_the_mirror_node_has_its_sequence_number(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    effect = await a_message(fake_hedera_node, hedera_ledger)
    fake_hedera_node.crash_after_accept_next()
    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.submit(effect.prepared)
    fake_hedera_node.advance_clock(LONG_AFTER)

    outcome = await hedera_ledger.transaction_outcome(effect.prepared.transaction_id)

    assert outcome is not None
    assert outcome.topic_sequence_number == 1


async def test_busy_twice_then_accepted_airdrops_once(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    token_id = await a_minted_nft(hedera_ledger)
    fake_hedera_node.open_account(COLLECTOR)
    prepared = await hedera_ledger.prepare_airdrop(token_id, 1, COLLECTOR)
    fake_hedera_node.busy_next(2)

    await hedera_ledger.submit(prepared)

    assert fake_hedera_node.calls.count("airdropTokens") == 3, "the SDK resent the same signed bytes"
    assert fake_hedera_node.succeeded("TOKENAIRDROP") == 1
    assert fake_hedera_node.pending == {(token_id, 1): (HEDERA_OPERATOR_ID, COLLECTOR)}


async def test_an_outcome_the_mirror_node_cannot_tell_now_is_unavailable_not_absent(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    effect = await a_burn(fake_hedera_node, hedera_ledger)
    await hedera_ledger.submit(effect.prepared)
    fake_hedera_node.advance_clock(LONG_AFTER)
    fake_hedera_node.mirror_unavailable_next(1)

    with pytest.raises(LedgerUnavailable):
        await hedera_ledger.transaction_outcome(effect.prepared.transaction_id)
    assert await hedera_ledger.transaction_outcome(effect.prepared.transaction_id) is not None


async def test_signed_bytes_of_another_transaction_are_not_submitted(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    effect = await a_transfer(fake_hedera_node, hedera_ledger)
    token_id = next(iter(fake_hedera_node.minted))
    burn = await hedera_ledger.prepare_burn(token_id, 1)

    with pytest.raises(ValueError, match="not the tokenBurn transaction"):
        await hedera_ledger.submit(dataclasses.replace(burn, signed_bytes=effect.prepared.signed_bytes))

    assert fake_hedera_node.calls.count("burnToken") == fake_hedera_node.calls.count("cryptoTransfer") == 0


async def test_an_account_the_mirror_node_does_not_know_is_refused(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    token_id = await a_minted_nft(hedera_ledger)

    with pytest.raises(LedgerRejected) as refused:
        await hedera_ledger.accepts_token("0.0.777777", token_id)

    assert refused.value.status == "INVALID_ACCOUNT_ID"


async def test_a_free_automatic_association_slot_accepts_one_token(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    first = await a_minted_nft(hedera_ledger)
    second = await a_minted_nft(hedera_ledger)
    fake_hedera_node.open_account(COLLECTOR, max_automatic_associations=1)

    assert await hedera_ledger.accepts_token(COLLECTOR, first) is True
    await hedera_ledger.submit(await hedera_ledger.prepare_transfer(first, 1, COLLECTOR))

    assert fake_hedera_node.owner(first, 1) == COLLECTOR
    assert await hedera_ledger.accepts_token(COLLECTOR, first) is True
    assert await hedera_ledger.accepts_token(COLLECTOR, second) is False, "the one slot is used"
    fake_hedera_node.open_account("0.0.6006", max_automatic_associations=-1)
    assert await hedera_ledger.accepts_token("0.0.6006", second) is True


async def test_the_receiver_claims_an_airdrop_with_its_own_signed_transaction(
    fake_hedera_node: FakeHederaNetwork, hedera_ledger: HederaLedger
) -> None:
    token_id = await a_minted_nft(hedera_ledger)
    collector_key = PrivateKey.generate_ed25519()
    fake_hedera_node.open_account(COLLECTOR, key=collector_key.public_key())
    await hedera_ledger.submit(await hedera_ledger.prepare_airdrop(token_id, 1, COLLECTOR))

    def claim_in_wallet() -> str:
        network = {
            address: AccountId.from_string(node) for address, node in fake_hedera_node.network_map.items()
        }
        client = Client.for_network(network, network_name="custom")
        client.set_operator(AccountId.from_string(COLLECTOR), collector_key)
        try:
            pending = PendingAirdropId(
                sender_id=AccountId.from_string(HEDERA_OPERATOR_ID),
                receiver_id=AccountId.from_string(COLLECTOR),
                nft_id=NftId(TokenId.from_string(token_id), 1),
            )
            tx = TokenClaimAirdropTransaction().add_pending_airdrop_id(pending).freeze_with(client)
            return str(tx.sign(collector_key).execute(client, validate_status=True).status)
        finally:
            client.close()

    await asyncio.to_thread(claim_in_wallet)

    assert fake_hedera_node.succeeded("TOKENCLAIMAIRDROP") == 1
    assert await hedera_ledger.pending_airdrop(token_id, 1, COLLECTOR) is False
    record = await hedera_ledger.nft(token_id, 1)
    assert record is not None
    assert record.owner_account == COLLECTOR
