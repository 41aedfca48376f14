"""`seed-demo`'s catalogue: the demo artists' accounts, profiles, approved KYC and listed works,
and a few sales, made through the same use cases people use, so the data is what they would make.

Idempotent and resumable: an account, profile or approved KYC that exists is kept, and a work
whose title its artist already has is skipped, so a second run adds nothing and a run cut short
is finished by the next. Sales go through the sandbox checkout (only when it is the gateway in
use and the ledger is the simulated one): the demo buyers' orders are paid, and the worker of
`artmarket serve` mints their certificates from the `OrderPaid` messages the payments wrote.
"""

from __future__ import annotations

import asyncio
import secrets
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final
from uuid import UUID, uuid4

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.application.catalog.artists import GetMyArtistProfile, SaveArtistProfile
from artmarket.application.catalog.artworks import (
    AddArtworkImage,
    ArtworkDraft,
    CreateArtwork,
    ListMyArtworks,
    PublishArtwork,
)
from artmarket.application.catalog.kyc import DecideKyc, ListMyKycCases, SubmitKyc
from artmarket.application.checkout.payments import ConfirmPayment
from artmarket.application.checkout.placing import PlaceOrder
from artmarket.application.checkout_details import AddressInput, BuyerInput, CheckoutDetails
from artmarket.application.identity.registration import RegisterUser
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.domain.artists import KycStatus
from artmarket.domain.delivery import Delivery, ShippingRate
from artmarket.domain.identity import Role
from artmarket.domain.listing import Dimensions
from artmarket.domain.money import Money
from artmarket.entrypoints.cli.demo_images import demo_picture
from artmarket.entrypoints.cli.demo_works import ARTISTS, SHIPPING, WORKS, DemoArtist, DemoWork
from artmarket.entrypoints.cli.runtime import operator_actor, user_by_email

if TYPE_CHECKING:  # dishka is imported by the composition root, when a command needs a container
    from dishka import AsyncContainer

#: The accounts `seed-demo` makes first: the admin approves KYC, the buyer buys.
ADMIN_EMAIL: Final = "admin@artmarket.local"
BUYER_EMAIL: Final = "buyer@artmarket.local"
COLLECTOR_EMAIL: Final = "collector@artmarket.local"
#: Pictures' longest side: the display size the shop serves is 1600 px, the gallery's cards far less.
LONGEST_SIDE: Final = 1000
#: The address the demo's orders count against (the caps per client address): the operator's own.
CLIENT_ADDRESS: Final = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class DemoBuyer:
    email: str
    display_name: str
    #: What the buyer types at checkout for a physical work (a digital one takes nothing).
    details: CheckoutDetails


BUYERS: Final = (
    DemoBuyer(
        BUYER_EMAIL,
        "Demo Buyer",
        CheckoutDetails(
            buyer=BuyerInput("Demo Buyer", "+2348031234567"),
            delivery_address=AddressInput(
                "Demo Buyer", ("12 Awolowo Road", "Ikoyi"), "Lagos", "NG", "Lagos", "101233"
            ),
        ),
    ),
    DemoBuyer(
        COLLECTOR_EMAIL,
        "Demo Collector",
        CheckoutDetails(
            buyer=BuyerInput("Demo Collector", "+233201234567"),
            delivery_address=AddressInput("Demo Collector", ("4 Oxford Street", "Osu"), "Accra", "GH"),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class CatalogueSeeded:
    """What one run added: works listed (out of the catalogue's) and sales paid."""

    listed: int
    catalogue: int
    sales: int


async def seed_catalogue(
    container: AsyncContainer, echo: Callable[[str], None], *, sell: bool
) -> CatalogueSeeded:
    """Make whatever of the demo catalogue is missing; `echo` prints each new account's password.

    The demo admin and buyer exist already (`seed-demo` makes them first). Sales are made only
    when `sell` (the sandbox checkout and the simulated ledger: no other gateway can be paid
    from here, and a demo mints nothing on a real network).
    """
    owned = {artist.email: await _titles(container, artist.email) for artist in ARTISTS}
    missing = [work for work in _interleaved(WORKS) if work.title not in owned[work.artist]]
    # The pictures are painted in a thread of their own, in listing order, while the accounts
    # are registered and each earlier picture is uploaded: the two costs overlap.
    with ThreadPoolExecutor(1, thread_name_prefix="demo-pictures") as painter:
        pictures = {work.title: painter.submit(_picture, work) for work in missing}
        buyers = [
            (await _principal(container, demo.email, demo.display_name, Role.BUYER, echo), demo)
            for demo in BUYERS
        ]
        artists: dict[str, Principal] = {}
        for artist in ARTISTS:
            artists[artist.email] = await _principal(
                container, artist.email, artist.display_name, Role.ARTIST, echo
            )
            await _profile(container, artists[artist.email], artist)
            await _approved_kyc(container, artists[artist.email], artist)
        now = (await container.get(Clock)).now()
        sales = 0
        for work in missing:
            picture = await asyncio.wrap_future(pictures[work.title])
            artwork_id = await _listed(container, artists[work.artist], work, picture, now)
            if sell:
                for sale in range(work.sold):
                    # Numbers go to the buyers in turn: #1 to the demo buyer, #2 to the collector, ...
                    await _bought(container, *buyers[sale % len(buyers)], work, artwork_id)
                    sales += 1
    return CatalogueSeeded(len(missing), len(WORKS), sales)


async def _titles(container: AsyncContainer, email: str) -> set[str]:
    """The titles of the works the artist with this email has (none before their account exists)."""
    user = await user_by_email(container, email)
    if user is None:
        return set()
    return {work.title for work in await (await container.get(ListMyArtworks))(Principal(user, uuid4()))}


def _interleaved(works: Sequence[DemoWork]) -> list[DemoWork]:
    """The works in turn from each artist: the gallery (newest first) opens on all three."""
    ranked: list[tuple[int, DemoWork]] = []
    seen: dict[str, int] = {}
    for work in works:
        rank = seen.get(work.artist, 0)
        seen[work.artist] = rank + 1
        ranked.append((rank, work))
    # A stable sort: each round keeps the artists' order.
    return [work for _, work in sorted(ranked, key=lambda pair: pair[0])]


async def _principal(
    container: AsyncContainer, email: str, name: str, role: Role, echo: Callable[[str], None]
) -> Principal:
    """The account with this email as a caller of the use cases; registered (its password
    printed once) when missing."""
    found = await user_by_email(container, email)
    if found is not None:
        return Principal(found, uuid4())
    password = secrets.token_urlsafe(12)
    user = await (await container.get(RegisterUser))(
        email=email, password=password, display_name=name, role=role, client_address=None
    )
    echo(f"created {role.value:<6} {email}  password: {password}")
    return Principal(user, uuid4())


async def _profile(container: AsyncContainer, principal: Principal, artist: DemoArtist) -> None:
    if await (await container.get(GetMyArtistProfile))(principal) is not None:
        return
    await (await container.get(SaveArtistProfile))(
        principal,
        display_name=artist.display_name,
        bio=artist.bio,
        country=artist.country,
        website=artist.website,
    )


async def _approved_kyc(container: AsyncContainer, principal: Principal, artist: DemoArtist) -> None:
    """The artist's KYC approved by the demo admin (asked for only then): submitted first unless
    a case is pending."""
    cases = await (await container.get(ListMyKycCases))(principal)
    if any(case.status is KycStatus.APPROVED for case in cases):
        return
    pending = next((case for case in cases if case.status is KycStatus.PENDING), None)
    if pending is None:
        # A stand-in identity document: a small picture (the review judges files by content).
        document = demo_picture(_seed(artist.email), 600, 380, style=0)
        pending = await (await container.get(SubmitKyc))(
            principal, legal_name=artist.legal_name, country=artist.country, document=document
        )
    admin = await operator_actor(container, ADMIN_EMAIL)
    await (await container.get(DecideKyc))(admin, pending.id, approve=True, reason=None)


async def _listed(
    container: AsyncContainer, principal: Principal, work: DemoWork, picture: bytes, now: datetime
) -> UUID:
    """The work drafted, given its picture and published, as an artist does in the studio."""
    draft = ArtworkDraft(
        title=work.title,
        description=work.description,
        medium=work.medium,
        price=Money.of(work.price, work.currency),
        year=work.year,
        dimensions=Dimensions(*work.size_mm) if work.size_mm else None,
        delivery=_delivery(work),
        edition=work.edition,
        available_from=now + timedelta(days=work.drop_in_days) if work.drop_in_days is not None else None,
    )
    artwork = await (await container.get(CreateArtwork))(principal, draft)
    await (await container.get(AddArtworkImage))(principal, artwork.id, picture)
    await (await container.get(PublishArtwork))(principal, artwork.id)
    return artwork.id


async def _bought(
    container: AsyncContainer, buyer: Principal, demo: DemoBuyer, work: DemoWork, artwork_id: UUID
) -> None:
    """Buy Now, then the sandbox checkout's Pay, confirmed as the buyer's return confirms it."""
    placed = await (await container.get(PlaceOrder))(
        buyer,
        artwork_id,
        idempotency_key=None,
        client_address=CLIENT_ADDRESS,
        details=demo.details if work.size_mm is not None else None,
    )
    gateway = await container.get(SandboxPaymentGateway)
    gateway.complete(placed.order.reference, outcome="success")
    await (await container.get(ConfirmPayment))(placed.order.reference)


def _delivery(work: DemoWork) -> Delivery:
    """Digital, or physical: shipped in the zones of its currency, weighed by its surface."""
    if work.size_mm is None:
        return Delivery.digital()
    height, width = work.size_mm
    rates: Sequence[ShippingRate] = [
        ShippingRate.of(countries, Money.of(amount, work.currency))
        for countries, amount in SHIPPING[work.currency]
    ]
    # About 4 kg per square metre: stretched canvas or a framed sheet.
    return Delivery.physical(weight_grams=max(300, height * width // 250), shipping_rates=rates)


def _picture(work: DemoWork) -> bytes:
    width, height = picture_size(work.ratio)
    return demo_picture(_seed(work.title), width, height, style=work.style)


def picture_size(ratio: tuple[int, int]) -> tuple[int, int]:
    """Width and height in pixels with `ratio`, the longest side `LONGEST_SIDE`."""
    width, height = ratio
    scale = LONGEST_SIDE / max(width, height)
    return round(width * scale), round(height * scale)


def _seed(name: str) -> int:
    """A picture's seed from a stable name: the same work gets the same picture everywhere."""
    return zlib.crc32(name.encode())
