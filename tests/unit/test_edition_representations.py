"""An order and a certificate say which print of an edition they are (null for a unique work)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import msgspec
import pytest
from tests.support.persistence import NOW, a_user, an_artwork, an_order

from artmarket.application.minting.certificates import CertificateView
from artmarket.domain.certificates import ArtworkSnapshot, Certificate
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.checkout_schemas import OrderOut
from artmarket.entrypoints.http.minting_schemas import CertificateOut


def as_json(value: msgspec.Struct) -> dict[str, Any]:
    answer: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(value))
    return answer


@pytest.mark.parametrize("number", [7, None])
def test_an_order_shows_the_number_it_holds(number: int | None) -> None:
    artwork = an_artwork(a_user("Ada Obi", role=Role.ARTIST))
    order = an_order(a_user("Bola Ade"), artwork)
    order.edition_number = number  # as checkout hands out the lowest free number

    assert as_json(OrderOut.of(order, artwork))["edition_number"] == number


@pytest.mark.parametrize(("number", "size", "printed"), [(7, 25, "7/25"), (None, None, "1/1")])
def test_a_certificate_shows_its_print_and_the_edition_as_printed(
    number: int | None, size: int | None, printed: str
) -> None:
    snapshot = ArtworkSnapshot(
        uuid4(),
        "Harbour",
        uuid4(),
        "Ada Obi",
        "photography",
        2024,
        None,
        "ipfs://bafkreiimg",
        "image/png",
        number,
        size,
    )
    certificate = Certificate(
        uuid4(), uuid4(), uuid4(), snapshot, "testnet", "0.0.1000", 3, "0.0.2@1.2", "ipfs://bafkreidoc", NOW
    )

    shown = as_json(CertificateOut.of(CertificateView(certificate, "a private collection", None, None)))

    assert (shown["edition"], shown["edition_number"]) == (printed, number)
