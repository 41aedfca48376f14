"""The CertificateLedger contract (burns, provenance topics, transfers, airdrops), held by both ledgers.

"hedera" is the real `HederaLedger` (hiero-sdk-python) over real gRPC on loopback to the
fake consensus node of `tests.support.fake_hedera_mirror`, with its fake mirror node.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest
from tests.support.fake_hedera_mirror import FakeHederaNetwork
from tests.support.hedera_fixtures import HEDERA_OPERATOR_ID

from artmarket.adapters.ledger.hedera import HederaLedger
from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.application.minting.certificate_transactions import (
    MAX_TOPIC_MESSAGE_BYTES,
    CertificateLedger,
    TransactionKind,
)
from artmarket.application.minting.ledger import Ledger, LedgerRejected
from artmarket.fakes.clock import FixedClock

CANONICAL_TRANSACTION_ID = re.compile(r"^\d+\.\d+\.\d+@\d+\.\d{9}$")
CONSENSUS_TIMESTAMP = re.compile(r"^\d+\.\d{9}$")
#: Longer than a transaction's valid duration (120 s) and a node's receipt lifetime (180 s).
LONG_AFTER = 600.0
COLLECTOR = "0.0.5005"


class Ledgers(Ledger, CertificateLedger, Protocol):
    """Both ports, as each adapter implements them."""


@dataclass
class LedgerUnderTest:
    ledger: Ledgers
    treasury: str
    advance_clock: Callable[[float], None]
    #: Make the account exist (every well-formed account exists on the simulated ledger).
    open_account: Callable[[str], None]
    #: What the receiver does in their wallet: associate with a token, claim an airdrop.
    associate: Callable[[str, str], None]
    claim_airdrop: Callable[[str, int, str], None]


@pytest.fixture(params=["simulated", "hedera"])
def under_test(request: pytest.FixtureRequest) -> LedgerUnderTest:
    if request.param == "simulated":
        clock = FixedClock(datetime.now(UTC))
        simulated = SimulatedLedger(clock=clock)
        return LedgerUnderTest(
            ledger=simulated,
            treasury="0.0.2",
            advance_clock=lambda seconds: clock.advance(timedelta(seconds=seconds)),
            open_account=lambda account_id: None,
            associate=simulated.associate,
            claim_airdrop=simulated.claim_airdrop,
        )
    node: FakeHederaNetwork = request.getfixturevalue("fake_hedera_node")
    hedera: HederaLedger = request.getfixturevalue("hedera_ledger")
    return LedgerUnderTest(
        ledger=hedera,
        treasury=HEDERA_OPERATOR_ID,
        advance_clock=node.advance_clock,
        open_account=node.open_account,
        associate=node.associate,
        claim_airdrop=node.claim_airdrop,
    )


async def minted(under_test: LedgerUnderTest, count: int = 1) -> str:
    """A collection with `count` NFTs (serials 1..count), all held by the treasury."""
    ledger = under_test.ledger
    token_id = await ledger.create_collection(name="Atelier Certificates", symbol="ACOA", max_supply=100)
    uris = [f"ipfs://bafkreicertificate{n:02d}".encode() for n in range(1, count + 1)]
    await ledger.submit_mint(await ledger.prepare_mint(token_id, uris))
    return token_id


async def owner(ledger: Ledgers, token_id: str, serial: int) -> str | None:
    record = await ledger.nft(token_id, serial)
    assert record is not None
    return record.owner_account


async def test_the_treasury_is_the_account_that_holds_minted_certificates(
    under_test: LedgerUnderTest,
) -> None:
    token_id = await minted(under_test)

    assert under_test.ledger.treasury_account == under_test.treasury
    assert await owner(under_test.ledger, token_id, 1) == under_test.treasury


async def test_a_prepared_transaction_has_a_canonical_id_its_kind_and_a_deadline_and_does_nothing(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)

    first = await ledger.prepare_burn(token_id, 1)
    second = await ledger.prepare_burn(token_id, 1)

    assert CANONICAL_TRANSACTION_ID.match(first.transaction_id)
    assert first.transaction_id != second.transaction_id
    assert first.kind is TransactionKind.BURN
    assert first.signed_bytes
    assert first.valid_until > datetime.now(UTC) - timedelta(seconds=30)
    assert await ledger.transaction_outcome(first.transaction_id) is None
    assert await owner(ledger, token_id, 1) == under_test.treasury


async def test_a_burned_nft_has_no_owner(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test, 2)
    prepared = await ledger.prepare_burn(token_id, 1)

    outcome = await ledger.submit(prepared)

    assert outcome.transaction_id == prepared.transaction_id
    assert outcome.topic_sequence_number is None
    assert await owner(ledger, token_id, 1) is None
    assert await owner(ledger, token_id, 2) == under_test.treasury
    assert await ledger.transaction_outcome(prepared.transaction_id) == outcome


async def test_resubmitting_a_burn_returns_the_same_outcome_and_burns_nothing_more(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test, 2)
    prepared = await ledger.prepare_burn(token_id, 1)

    first = await ledger.submit(prepared)
    again = await ledger.submit(prepared)

    assert again == first
    assert await owner(ledger, token_id, 2) == under_test.treasury


async def test_burning_a_burned_nft_again_is_refused(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    await ledger.submit(await ledger.prepare_burn(token_id, 1))
    again = await ledger.prepare_burn(token_id, 1)

    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit(again)

    assert refused.value.status == "INVALID_NFT_ID"
    with pytest.raises(LedgerRejected, match="INVALID_NFT_ID"):
        await ledger.transaction_outcome(again.transaction_id)


async def test_messages_get_increasing_sequence_numbers_and_timestamps_and_are_listed_in_order(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    bodies = [b'{"event":"issued"}', b'{"event":"claimed"}', b'{"event":"revoked"}']

    outcomes = [await ledger.submit(await ledger.prepare_topic_message(topic_id, body)) for body in bodies]

    assert re.fullmatch(r"0\.0\.\d+", topic_id)
    assert [outcome.topic_sequence_number for outcome in outcomes] == [1, 2, 3]
    messages = await ledger.topic_messages(topic_id)
    assert [(m.sequence_number, m.message) for m in messages] == [
        (1, bodies[0]),
        (2, bodies[1]),
        (3, bodies[2]),
    ]
    assert all(CONSENSUS_TIMESTAMP.match(m.consensus_timestamp) for m in messages)
    stamps = [tuple(int(part) for part in m.consensus_timestamp.split(".")) for m in messages]
    assert stamps == sorted(set(stamps)), "strictly increasing"
    later = await ledger.topic_messages(topic_id, after=1, limit=1)
    assert [(m.sequence_number, m.message) for m in later] == [(2, bodies[1])]


async def test_resubmitting_a_message_returns_its_sequence_number_and_adds_no_message(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    prepared = await ledger.prepare_topic_message(topic_id, b'{"event":"issued"}')

    first = await ledger.submit(prepared)
    again = await ledger.submit(prepared)

    assert again == first
    assert first.topic_sequence_number == 1
    assert [m.sequence_number for m in await ledger.topic_messages(topic_id)] == [1]


@pytest.mark.parametrize(
    ("message", "status"),
    [
        pytest.param(b"", "INVALID_TOPIC_MESSAGE", id="empty"),
        pytest.param(b"x" * (MAX_TOPIC_MESSAGE_BYTES + 1), "MESSAGE_SIZE_TOO_LARGE", id="1025 bytes"),
    ],
)
async def test_a_message_the_network_would_refuse_is_refused_before_submission(
    under_test: LedgerUnderTest, message: bytes, status: str
) -> None:
    topic_id = await under_test.ledger.create_topic(memo="artmarket provenance")

    with pytest.raises(LedgerRejected) as refused:
        await under_test.ledger.prepare_topic_message(topic_id, message)

    assert refused.value.status == status
    assert await under_test.ledger.topic_messages(topic_id) == []


async def test_a_message_of_exactly_the_limit_is_submitted(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    message = b"x" * MAX_TOPIC_MESSAGE_BYTES

    await ledger.submit(await ledger.prepare_topic_message(topic_id, message))

    assert [m.message for m in await ledger.topic_messages(topic_id)] == [message]


async def test_a_message_to_an_unknown_topic_is_refused(under_test: LedgerUnderTest) -> None:
    prepared = await under_test.ledger.prepare_topic_message("0.0.999999", b"hello")

    with pytest.raises(LedgerRejected) as refused:
        await under_test.ledger.submit(prepared)

    assert refused.value.status == "INVALID_TOPIC_ID"


async def test_a_transfer_to_an_account_not_associated_is_refused_and_the_nft_stays(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)

    assert await ledger.accepts_token(COLLECTOR, token_id) is False
    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit(await ledger.prepare_transfer(token_id, 1, COLLECTOR))

    assert refused.value.status == "TOKEN_NOT_ASSOCIATED_TO_ACCOUNT"
    assert await owner(ledger, token_id, 1) == under_test.treasury


async def test_a_transfer_to_an_associated_account_moves_the_nft_once(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    under_test.associate(COLLECTOR, token_id)
    prepared = await ledger.prepare_transfer(token_id, 1, COLLECTOR)

    assert await ledger.accepts_token(COLLECTOR, token_id) is True
    first = await ledger.submit(prepared)
    again = await ledger.submit(prepared)

    assert again == first
    assert await owner(ledger, token_id, 1) == COLLECTOR


async def test_an_nft_out_of_the_treasury_cannot_be_burned(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    under_test.associate(COLLECTOR, token_id)
    await ledger.submit(await ledger.prepare_transfer(token_id, 1, COLLECTOR))

    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit(await ledger.prepare_burn(token_id, 1))

    assert refused.value.status == "TREASURY_MUST_OWN_BURNED_NFT"
    assert await owner(ledger, token_id, 1) == COLLECTOR


async def test_an_airdrop_to_an_account_not_associated_waits_until_claimed(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    prepared = await ledger.prepare_airdrop(token_id, 1, COLLECTOR)

    first = await ledger.submit(prepared)
    again = await ledger.submit(prepared)

    assert again == first
    assert await ledger.pending_airdrop(token_id, 1, COLLECTOR) is True
    assert await owner(ledger, token_id, 1) == under_test.treasury

    under_test.claim_airdrop(token_id, 1, COLLECTOR)

    assert await ledger.pending_airdrop(token_id, 1, COLLECTOR) is False
    assert await owner(ledger, token_id, 1) == COLLECTOR
    assert await ledger.accepts_token(COLLECTOR, token_id) is True


async def test_an_airdrop_to_an_associated_account_is_a_transfer(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    under_test.associate(COLLECTOR, token_id)

    await ledger.submit(await ledger.prepare_airdrop(token_id, 1, COLLECTOR))

    assert await ledger.pending_airdrop(token_id, 1, COLLECTOR) is False
    assert await owner(ledger, token_id, 1) == COLLECTOR


async def test_a_cancelled_airdrop_leaves_the_nft_with_the_treasury(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    await ledger.submit(await ledger.prepare_airdrop(token_id, 1, COLLECTOR))
    cancel = await ledger.prepare_cancel_airdrop(token_id, 1, COLLECTOR)

    first = await ledger.submit(cancel)
    again = await ledger.submit(cancel)

    assert again == first
    assert await ledger.pending_airdrop(token_id, 1, COLLECTOR) is False
    assert await owner(ledger, token_id, 1) == under_test.treasury
    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit(await ledger.prepare_cancel_airdrop(token_id, 1, COLLECTOR))
    assert refused.value.status == "INVALID_PENDING_AIRDROP_ID"


async def test_an_nft_whose_airdrop_is_pending_can_still_be_burned(under_test: LedgerUnderTest) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    under_test.open_account(COLLECTOR)
    await ledger.submit(await ledger.prepare_airdrop(token_id, 1, COLLECTOR))

    await ledger.submit(await ledger.prepare_burn(token_id, 1))

    assert await owner(ledger, token_id, 1) is None
    assert await ledger.pending_airdrop(token_id, 1, COLLECTOR) is False


async def test_a_transaction_submitted_after_its_valid_window_is_refused_as_expired(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    token_id = await minted(under_test)
    prepared = await ledger.prepare_burn(token_id, 1)

    under_test.advance_clock(LONG_AFTER)

    with pytest.raises(LedgerRejected) as refused:
        await ledger.submit(prepared)
    assert refused.value.status == "TRANSACTION_EXPIRED"
    assert await ledger.transaction_outcome(prepared.transaction_id) is None
    assert await owner(ledger, token_id, 1) == under_test.treasury


async def test_an_accepted_transaction_resubmitted_long_after_returns_its_outcome(
    under_test: LedgerUnderTest,
) -> None:
    ledger = under_test.ledger
    topic_id = await ledger.create_topic(memo="artmarket provenance")
    prepared = await ledger.prepare_topic_message(topic_id, b'{"event":"issued"}')
    first = await ledger.submit(prepared)

    under_test.advance_clock(LONG_AFTER)

    again = await ledger.submit(prepared)
    found = await ledger.transaction_outcome(prepared.transaction_id)
    assert again == found
    assert again.topic_sequence_number == first.topic_sequence_number == 1
    assert again.consensus_timestamp == (await ledger.topic_messages(topic_id))[0].consensus_timestamp
    assert len(await ledger.topic_messages(topic_id)) == 1


async def test_a_malformed_account_id_is_refused(under_test: LedgerUnderTest) -> None:
    token_id = await minted(under_test)

    with pytest.raises(LedgerRejected) as refused:
        await under_test.ledger.accepts_token("not-an-account", token_id)
    assert refused.value.status == "INVALID_ACCOUNT_ID"
    with pytest.raises(LedgerRejected) as refused_transfer:
        await under_test.ledger.prepare_transfer(token_id, 1, "0.0.5005; DROP")
    assert refused_transfer.value.status == "INVALID_ACCOUNT_ID"
