"""The certificate as a document: the words the page and the PDF share, the PDF itself read back
(one A4 page, its text, its QR code), and the owner's choice to show their name, over the
in-memory unit of work and a certificate minted on the simulated ledger."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.support.certificate_life import Life, a_life
from tests.support.images import png_bytes
from tests.support.pdfs import A4_POINTS, read_pdf

from artmarket.adapters.documents.pdf import PdfCertificateDocuments
from artmarket.application.i18n import speaking
from artmarket.application.minting.certificate_words import custody_words, revocation_words
from artmarket.application.minting.certificates import PRIVATE_OWNER, GetCertificate, ShowOwnerName
from artmarket.application.minting.documents import (
    ArtworkPicture,
    CertificateLinks,
    CertificateSheet,
    FindCertificate,
    GetCertificatePicture,
    PrintCertificate,
    certificate_number,
    public_code_from,
    sheet_of,
)
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import RevocationReason
from artmarket.domain.errors import NotFound
from artmarket.domain.languages import Language

LINKS = CertificateLinks("https://art.example/")


async def minted() -> tuple[Life, Certificate]:
    life = await a_life()
    (certificate,) = await life.issued(1)
    return life, certificate


def getter(life: Life) -> GetCertificate:
    return GetCertificate(life.minting.new_uow(), life.ledger, life.tasks_policy)


def printer(life: Life) -> PrintCertificate:
    return PrintCertificate(
        getter(life),
        GetCertificatePicture(life.minting.new_uow(), life.minting.content),
        PdfCertificateDocuments(),
        LINKS,
    )


def a_sheet(**changes: object) -> CertificateSheet:
    sheet = CertificateSheet(
        number="AM-7K3M-9XQ2-HP4R",
        title="Harmattan Light",
        artist="Ada Obi",
        medium="Painting",
        dimensions="60 x 80 cm",
        year=2025,
        edition="1/1",
        issued_on="1 Jul 2026",
        issuer="artmarket",
        nft="token 0.0.1001 serial 7",
        custody="Held by artmarket on behalf of the owner",
        owner=PRIVATE_OWNER,
        revoked=None,
        link="https://art.example/c/7k3m9xq2hp4r",
    )
    return replace(sheet, **changes)  # type: ignore[arg-type]


async def test_the_pdf_is_one_a4_page_with_the_facts_and_a_qr_code_to_the_short_link() -> None:
    life, certificate = await minted()

    printed = await printer(life)(certificate.id)

    read = read_pdf(printed.pdf)
    assert read.pages == 1
    assert read.size == A4_POINTS
    number = certificate_number(certificate)
    assert printed.number == number
    for fact in (
        "Certificate of Authenticity",
        "Harmattan Light 0",
        "Ada Obi",
        "1/1",
        number,
        PRIVATE_OWNER,
    ):
        assert fact in read.text
    assert f"token {certificate.token_id} serial {certificate.serial}" in read.text
    assert read.qr_codes == [f"https://art.example/c/{certificate.public_code}"]
    assert "REVOKED" not in read.text


async def test_a_revoked_certificate_prints_revoked_and_the_day_and_reason() -> None:
    read = read_pdf(
        await PdfCertificateDocuments().pdf(a_sheet(revoked="Revoked on 12 Jan 2027 (refunded)"), None)
    )
    assert read.pages == 1
    assert "REVOKED" in read.text
    assert "Revoked on 12 Jan 2027 (refunded)" in read.text
    assert read.qr_codes == ["https://art.example/c/7k3m9xq2hp4r"]


@pytest.mark.parametrize(
    "picture",
    [
        None,
        ArtworkPicture(b"not an image at all", "image/jpeg"),
        ArtworkPicture(png_bytes(300, 900), "image/png"),
    ],
    ids=["none", "unreadable", "tall"],
)
async def test_the_pdf_prints_on_one_page_whatever_the_image(picture: ArtworkPicture | None) -> None:
    long_title = "Harmattan Light over the Lagoon at Dusk, Seen from the Third Mainland Bridge"
    read = read_pdf(await PdfCertificateDocuments().pdf(a_sheet(title=long_title), picture))
    assert read.pages == 1
    assert "Third Mainland Bridge" in read.text
    assert "CERTIFICATE NUMBER AM-7K3M-9XQ2-HP4R" in read.text
    assert read.qr_codes == ["https://art.example/c/7k3m9xq2hp4r"]


async def test_without_a_unicode_font_names_print_without_their_accents(tmp_path: Path) -> None:
    documents = PdfCertificateDocuments(font_dir=tmp_path)  # no fonts there: the core font
    read = read_pdf(await documents.pdf(a_sheet(artist="Ọlá Adébáyọ̀", title="Ìrìn Àjò"), None))
    assert "Ola Adebayo" in read.text
    assert "Irin Ajo" in read.text


async def test_a_certificate_without_its_image_in_the_store_prints_without_it() -> None:
    life, certificate = await minted()
    life.minting.content.blocks.clear()
    with pytest.raises(NotFound):
        await GetCertificatePicture(life.minting.new_uow(), life.minting.content)(certificate.id)

    read = read_pdf((await printer(life)(certificate.id)).pdf)
    assert read.pages == 1
    assert read.qr_codes == [f"https://art.example/c/{certificate.public_code}"]


async def test_the_picture_is_the_certified_image_by_its_content_address() -> None:
    life, certificate = await minted()
    picture = await GetCertificatePicture(life.minting.new_uow(), life.minting.content)(certificate.id)
    assert (
        picture.data
        == life.minting.content.blocks[str(certificate.artwork.image_uri).removeprefix("ipfs://")]
    )
    assert picture.content_type == certificate.artwork.image_type


async def test_the_pdf_shows_the_owner_name_only_once_the_owner_chose_it() -> None:
    life, certificate = await minted()
    show = ShowOwnerName(life.minting.new_uow(), getter(life))
    assert "Buyer 0" not in read_pdf((await printer(life)(certificate.id)).pdf).text

    await show(certificate.owner_id, certificate.id, shown=True)
    assert "Buyer 0" in read_pdf((await printer(life)(certificate.id)).pdf).text

    await show(certificate.owner_id, certificate.id, shown=False)
    read = read_pdf((await printer(life)(certificate.id)).pdf)
    assert "Buyer 0" not in read.text
    assert PRIVATE_OWNER in read.text


async def test_the_page_words_follow_the_view_trail_and_custody_included() -> None:
    life, certificate = await minted()
    await life.submit()()  # the "issued" entry goes to the topic
    view = await getter(life)(certificate.id)
    sheet = sheet_of(view, LINKS)
    assert sheet.owner == PRIVATE_OWNER
    assert sheet.custody == custody_words(certificate, life.ledger.treasury_account)
    assert life.ledger.treasury_account in sheet.custody
    assert sheet.link == f"https://art.example/c/{certificate.public_code}"
    assert [(entry.event.value, entry.sequence_number) for entry in view.trail] == [("issued", 1)]


async def test_custody_and_revocation_in_plain_words() -> None:
    _, certificate = await minted()
    nft = f"token {certificate.token_id} serial {certificate.serial}"
    assert custody_words(certificate, "0.0.2") == (
        f"Held by artmarket on behalf of the owner ({nft} in the platform's account 0.0.2)"
    )
    certificate.await_claim("0.0.5005")
    assert custody_words(certificate, "0.0.2") == "Waiting in Hedera account 0.0.5005 for its owner to accept"
    certificate.move_to_wallet("0.0.5005")
    assert custody_words(certificate, "0.0.2") == "In Hedera account 0.0.5005 (checked on the ledger)"

    assert revocation_words(certificate) is None
    certificate.revoke(RevocationReason.REFUNDED, datetime(2027, 1, 12, 9, tzinfo=UTC))
    assert revocation_words(certificate) == "Revoked on 12 Jan 2027 (refunded)"


def test_the_certificate_number_is_the_grouped_public_code_and_reads_back_as_it() -> None:
    assert public_code_from("AM-7K3M-9XQ2-HP4R") == "7k3m9xq2hp4r"
    assert public_code_from("7k3m9xq2hp4r") == "7k3m9xq2hp4r"
    assert public_code_from(" am-7k3m-9xq2-hp4r ") == "7k3m9xq2hp4r"
    for wrong in ("", "7k3m9xq2hp4", "7k3m9xq2hp4r7", "0o1l9xq2hp4r", "../../etc/pwd", "AM-7K3M-9XQ2-HP4"):
        assert public_code_from(wrong) is None


async def test_short_links_and_nft_lookups_find_the_certificate_and_nothing_else() -> None:
    life, certificate = await minted()
    find = FindCertificate(life.minting.new_uow())

    assert await find.by_code(certificate.public_code) == certificate.id
    assert await find.by_code(certificate_number(certificate)) == certificate.id
    assert await find.by_token_serial(certificate.token_id, certificate.serial) == certificate.id
    assert await find.by_token_serial(certificate.token_id.replace("0.0.", "00.0."), certificate.serial) == (
        certificate.id
    )
    other_code = "".join(reversed(certificate.public_code))
    for code in (other_code, "", "nonsense", "AM-", certificate.public_code + "2"):
        with pytest.raises(NotFound):
            await find.by_code(code)
    for token, serial in ((certificate.token_id, certificate.serial + 1), ("0.0.9", 1), ("not.a.token", 1)):
        with pytest.raises(NotFound):
            await find.by_token_serial(token, serial)


async def test_a_certificate_printed_for_a_french_page_reads_in_french() -> None:
    life, certificate = await minted()

    with speaking(Language.FRENCH):
        printed = await printer(life)(certificate.id)

    read = read_pdf(printed.pdf)
    for words in (
        "Certificat d'authenticité",
        "par Ada Obi",
        "TECHNIQUE Peinture",
        "GARDE",
        "Conservé par artmarket",
        "Vérifiez ce certificat",
    ):
        assert words in read.text, words
    assert f"jeton {certificate.token_id}, numéro de série {certificate.serial}" in read.text
    assert "Certificate of Authenticity" not in read.text
    assert "Held by artmarket" not in read.text


async def test_a_revocation_in_french_gives_the_day_and_reason_in_french() -> None:
    _, certificate = await minted()
    certificate.revoke(RevocationReason.REFUNDED, datetime(2027, 1, 12, 9, tzinfo=UTC))
    with speaking(Language.FRENCH):
        assert revocation_words(certificate) == "Révoqué le 12 janv. 2027 (remboursement)"
