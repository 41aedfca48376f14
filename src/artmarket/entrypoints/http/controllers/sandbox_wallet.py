"""The sandbox wallet (simulated ledger only): what a Hedera wallet app does for a receiver.

It lists an account's pending airdrops and NFTs, accepts an airdrop (the receiver's
TokenClaimAirdrop) and associates the account with the certificate collection, so a
claim runs end to end on `make run`. Like the sandbox checkout it is deliberately not one
of our pages: it stands in for the owner's own wallet.
"""

from __future__ import annotations

import html

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.adapters.observability.instrumented import unwrapped
from artmarket.application.minting.claim_outcomes import SettlePendingClaims
from artmarket.application.minting.ledger import Ledger
from artmarket.application.minting.work import MintPolicy
from artmarket.domain.custody import account_id
from artmarket.domain.errors import NotFound
from artmarket.entrypoints.http.pages import page


def _simulated(ledger: Ledger) -> SimulatedLedger:
    simulated = unwrapped(ledger)
    if not isinstance(simulated, SimulatedLedger):
        raise NotFound("The sandbox wallet exists only on the simulated ledger.")
    return simulated


def _nft_rows(nfts: list[tuple[str, int]], action: str | None, account: str) -> str:
    if not nfts:
        return "<p class='note'>None.</p>"
    rows = []
    for token_id, serial in nfts:
        token, number = html.escape(token_id), int(serial)
        button = (
            f'<form method="post" action="/sandbox/wallet/{account}/accept/{token}/{number}" class="inline">'
            f'<button class="pay" type="submit" id="accept-{token}-{number}">{action}</button></form>'
            if action
            else ""
        )
        rows.append(f"<li>NFT <code>{token}</code> serial <strong>{number}</strong> {button}</li>")
    return "<ul>" + "".join(rows) + "</ul>"


class SandboxWalletController(Controller):
    path = "/sandbox/wallet"
    include_in_schema = False

    @get("/{account:str}")
    @inject
    async def wallet(
        self, account: FromPath[str], ledger: FromDishka[Ledger], policy: FromDishka[MintPolicy]
    ) -> Response[str]:
        simulated = _simulated(ledger)
        owner = html.escape(account_id(account))
        token = html.escape(policy.token_id or "")
        body = (
            f"<h1>Sandbox wallet of {owner}</h1>"
            "<h2>Airdrops waiting for you</h2>"
            + _nft_rows(simulated.pending_airdrops_for(owner), "Accept", owner)
            + "<h2>Your NFTs</h2>"
            + _nft_rows(simulated.nfts_of(owner), None, owner)
            + f'<form method="post" action="/sandbox/wallet/{owner}/associate" class="inline">'
            f'<button type="submit" id="associate">Associate with the collection {token}</button></form>'
            "<p class='note'>This is the development sandbox: it stands in for your own Hedera wallet. "
            "An associated account receives a claimed certificate directly; any other gets an airdrop "
            "to accept here.</p>"
        )
        return page(f"Sandbox wallet {owner}", body)

    @post("/{account:str}/accept/{token_id:str}/{serial:int}", status_code=303)
    @inject
    async def accept(
        self,
        account: FromPath[str],
        token_id: FromPath[str],
        serial: FromPath[int],
        ledger: FromDishka[Ledger],
        settle: FromDishka[SettlePendingClaims],
    ) -> Redirect:
        owner = account_id(account)
        _simulated(ledger).claim_airdrop(account_id(token_id), serial, owner)
        # What the periodic check would see next: the NFT in the account, so custody follows.
        await settle.settle_nft(account_id(token_id), serial)
        return Redirect(f"/sandbox/wallet/{owner}", status_code=303)

    @post("/{account:str}/associate", status_code=303)
    @inject
    async def associate(
        self, account: FromPath[str], ledger: FromDishka[Ledger], policy: FromDishka[MintPolicy]
    ) -> Redirect:
        owner = account_id(account)
        if policy.token_id is None:
            raise NotFound("No certificate collection yet.")
        _simulated(ledger).associate(owner, policy.token_id)
        return Redirect(f"/sandbox/wallet/{owner}", status_code=303)
