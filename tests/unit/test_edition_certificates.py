"""An edition order's certificate carries its number: the mint job's snapshot says "2/3", and the
HIP-412 metadata names the number and the size."""

from __future__ import annotations

import json

from tests.support.editions import EditionShop, an_edition
from tests.support.images import png_bytes
from tests.support.minting import Minting, policy

from artmarket.adapters.ledger.simulated import SimulatedLedger
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork


async def test_each_certificate_of_an_edition_says_its_number_of_the_size() -> None:
    db = InMemoryDatabase()
    shop = EditionShop(lambda: InMemoryUnitOfWork(db))
    await shop.open()
    edition = an_edition(shop.artist, 3)
    await shop.add(edition)
    ledger = SimulatedLedger(clock=shop.clock)
    token_id = await ledger.create_collection(name="Certificates", symbol="ACOA", max_supply=100)
    minting = Minting(lambda: InMemoryUnitOfWork(db), ledger, shop.clock, policy(token_id))
    await minting.media.put(edition.images[0].display_key, png_bytes(8, 8), "image/png", public=True)
    orders = []
    for n, buyer in enumerate(await shop.buyers(2)):
        orders.append(await shop.pay((await shop.place(buyer, edition.id, f"192.0.2.{n}")).order.reference))
    for order in orders:
        await minting.start()(order.id)

    assert await minting.mint()() == 2

    certificates = await minting.certificates(orders)
    assert [(c.edition, c.edition_number) for c in certificates] == [("1/3", 1), ("2/3", 2)]
    properties = [json.loads(c.metadata_document)["properties"] for c in certificates]
    assert [(p["edition"], p["edition_number"], p["edition_size"]) for p in properties] == [
        ("1 of 3", 1, 3),
        ("2 of 3", 2, 3),
    ]
