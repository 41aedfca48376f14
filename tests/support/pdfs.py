"""Reading a PDF back as a person would: its pages, their size, their text, the QR codes on them."""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
import zxingcpp

#: A4 in PDF points (1/72 inch), as PDF libraries round it.
A4_POINTS = (595.28, 841.89)


@dataclass(frozen=True)
class ReadPdf:
    pages: int
    size: tuple[float, float]
    text: str
    qr_codes: list[str]


def read_pdf(data: bytes) -> ReadPdf:
    """The first page's size, all pages' text (whitespace folded), and the QR codes a scanner finds."""
    document = pdfium.PdfDocument(data)
    try:
        texts, codes = [], []
        for page in document:
            texts.append(page.get_textpage().get_text_range())
            picture = page.render(scale=2).to_pil()
            codes += [
                found.text
                for found in zxingcpp.read_barcodes(
                    picture, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
                )
            ]
        width, height = document[0].get_size()
        return ReadPdf(
            len(document), (round(width, 2), round(height, 2)), " ".join(" ".join(texts).split()), codes
        )
    finally:
        document.close()
