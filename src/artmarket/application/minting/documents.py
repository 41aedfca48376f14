"""The certificate as a document people read, print and scan: the page and the PDF say the same.

`sheet_of` turns a `CertificateView` into plain words once (certificate number, custody,
owner, revocation), so the page and the printed certificate cannot drift apart.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Final, Protocol
from uuid import UUID

from artmarket.application.medium_words import medium_word
from artmarket.application.minting.certificate_words import (
    SheetWords,
    custody_words,
    day_words,
    nft_words,
    revocation_words,
    sheet_words,
)
from artmarket.application.minting.certificates import CertificateView, GetCertificate
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.certificates import Certificate
from artmarket.domain.custody import account_id, is_public_code
from artmarket.domain.errors import InvalidValue, NotFound

ISSUER: Final = "artmarket"
#: What the certificate number starts with, before the grouped public code.
NUMBER_PREFIX: Final = "AM-"


@dataclass(frozen=True, slots=True)
class CertificateLinks:
    """Where a certificate's short link points: `{public base url}/c/{public code}`."""

    public_base_url: str

    def short_link(self, public_code: str) -> str:
        return f"{self.public_base_url.rstrip('/')}/c/{public_code}"


@dataclass(frozen=True, slots=True)
class CertificateSheet:
    """What a certificate says, in the words printed on the page and the PDF.

    `revoked` is the banner above everything ("Revoked on 12 Jan 2027 (refunded)"), None
    while the certificate is valid; `link` is the short link the QR code carries.
    """

    number: str
    title: str
    artist: str
    medium: str
    dimensions: str | None
    year: int | None
    edition: str
    issued_on: str
    issuer: str
    nft: str
    custody: str
    owner: str
    revoked: str | None
    link: str
    #: Its title and labels, in the language of the request that made it.
    words: SheetWords = field(default_factory=sheet_words)


def certificate_number(certificate: Certificate) -> str:
    """`AM-7K3M-9XQ2-HP4R`: the public code, grouped by four to be read aloud or typed."""
    code = certificate.public_code.upper()
    return NUMBER_PREFIX + "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def public_code_from(text: str) -> str | None:
    """The public code in what a person typed or scanned: the code itself or the certificate number."""
    code = text.strip().lower().replace("-", "")
    if len(code) == len(NUMBER_PREFIX) - 1 + 12 and code.startswith(NUMBER_PREFIX[:-1].lower()):
        code = code[len(NUMBER_PREFIX) - 1 :]
    return code if is_public_code(code) else None


def sheet_of(view: CertificateView, links: CertificateLinks) -> CertificateSheet:
    certificate = view.certificate
    artwork = certificate.artwork
    return CertificateSheet(
        number=certificate_number(certificate),
        title=artwork.title,
        artist=artwork.artist_name,
        medium=medium_word(artwork.medium),
        dimensions=artwork.dimensions,
        year=artwork.year,
        edition=certificate.edition,
        issued_on=day_words(certificate.issued_at),
        issuer=ISSUER,
        nft=nft_words(certificate),
        custody=custody_words(certificate, view.treasury_account),
        owner=view.owner_display,
        revoked=revocation_words(certificate),
        link=links.short_link(certificate.public_code),
    )


@dataclass(frozen=True, slots=True)
class ArtworkPicture:
    """The certified image's bytes and MIME type, as the content-addressed store keeps them."""

    data: bytes
    content_type: str


class CertificateDocuments(Protocol):
    """Prints a certificate: one A4 page with its facts, its artwork image if given, and a QR code."""

    @abstractmethod
    async def pdf(self, sheet: CertificateSheet, picture: ArtworkPicture | None) -> bytes:
        """The PDF bytes; a revoked sheet is marked REVOKED across the page."""


class GetCertificatePicture:
    """The image a certificate certified, by its content address; NotFound when it has none or it is gone."""

    def __init__(self, uow: UnitOfWork, content: ContentAddressedStore) -> None:
        self._uow = uow
        self._content = content

    async def __call__(self, certificate_id: UUID) -> ArtworkPicture:
        async with self._uow as uow:
            certificate = await uow.certificates.get(certificate_id)
        if certificate is None:
            raise NotFound("No such certificate.")
        uri = certificate.artwork.image_uri
        data = await self._content.get(uri.removeprefix("ipfs://")) if uri else None
        if data is None:
            raise NotFound("This certificate has no image.")
        return ArtworkPicture(data, certificate.artwork.image_type)


@dataclass(frozen=True, slots=True)
class PrintedCertificate:
    number: str
    pdf: bytes


class PrintCertificate:
    """The printable certificate (A4 PDF) anyone with its address may download, as the public sees it.

    Rules: the same facts as the page; the artwork image when the content store has it (the
    certificate prints without it otherwise); a QR code to the certificate's short link.
    """

    def __init__(
        self,
        get_certificate: GetCertificate,
        picture: GetCertificatePicture,
        documents: CertificateDocuments,
        links: CertificateLinks,
    ) -> None:
        self._get_certificate = get_certificate
        self._picture = picture
        self._documents = documents
        self._links = links

    async def __call__(self, certificate_id: UUID) -> PrintedCertificate:
        view = await self._get_certificate(certificate_id)
        try:
            picture: ArtworkPicture | None = await self._picture(certificate_id)
        except NotFound:
            picture = None
        sheet = sheet_of(view, self._links)
        return PrintedCertificate(sheet.number, await self._documents.pdf(sheet, picture))


class FindCertificate:
    """The certificate a short link or an NFT names (QR codes, wall labels, NFC tags); NotFound otherwise.

    Unknown and malformed codes get the same answer, so nothing tells a guesser how close they came.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def by_code(self, text: str) -> UUID:
        code = public_code_from(text)
        certificate = None
        if code is not None:
            async with self._uow as uow:
                certificate = await uow.certificates.get_by_public_code(code)
        return _found(certificate)

    async def by_token_serial(self, token_id: str, serial: int) -> UUID:
        try:
            token = account_id(token_id)  # a token id is written like an account id
        except InvalidValue:
            raise NotFound("No such certificate.") from None
        async with self._uow as uow:
            certificate = await uow.certificates.get_by_token_serial(token, serial)
        return _found(certificate)


def _found(certificate: Certificate | None) -> UUID:
    if certificate is None:
        raise NotFound("No such certificate.")
    return certificate.id
