"""The certificate as a document: its PDF printer, its short links, and the use cases of the page."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from artmarket.application.minting.documents import (
    CertificateDocuments,
    CertificateLinks,
    FindCertificate,
    GetCertificatePicture,
    PrintCertificate,
)
from artmarket.settings import Settings


class DocumentsProvider(Provider):
    """The printable certificate (fpdf2 + segno), its image and the short links' lookups."""

    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def documents(self) -> CertificateDocuments:
        # fpdf2 and segno are imported when a PDF is first printed, not by every process (ADR 0022).
        from artmarket.adapters.documents.pdf import PdfCertificateDocuments

        return PdfCertificateDocuments()

    @provide(scope=Scope.APP)
    def links(self, settings: Settings) -> CertificateLinks:
        return CertificateLinks(settings.resolved_public_base_url)

    picture = provide(GetCertificatePicture)
    print_certificate = provide(PrintCertificate)
    find = provide(FindCertificate)
