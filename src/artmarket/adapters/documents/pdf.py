"""The printable certificate: one A4 page drawn with fpdf2, its QR code made with segno.

Text is set in DejaVu Serif when the system has it (names such as "Ọlá Adé" keep their
accents; the container image installs fonts-dejavu-core); otherwise in the PDF core font
Times, which knows Latin-1 only, so other letters are printed without their accents.
"""

from __future__ import annotations

import asyncio
import io
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from artmarket.application.minting.certificate_words import SheetWords
from artmarket.application.minting.documents import ArtworkPicture, CertificateSheet

#: Where Debian's fonts-dejavu-core puts the faces used when present.
DEJAVU: Final = Path("/usr/share/fonts/truetype/dejavu")
_INK: Final = (34, 30, 26)
_MUTED: Final = (110, 100, 90)
_GOLD: Final = (150, 118, 60)
_RED: Final = (170, 30, 30)
_PAGE_W: Final = 210.0
_MARGIN: Final = 24.0
_PICTURE_BOX: Final = (120.0, 88.0)
_QR_SIZE: Final = 34.0
#: Where the QR code's band starts: everything else is drawn above it.
_QR_TOP: Final = 297 - 20 - _QR_SIZE
_TITLE_LINE_H: Final = 10.0
_ROW_H: Final = 6.8


class PdfCertificateDocuments:
    """`CertificateDocuments` with fpdf2 and segno; drawing runs in a worker thread."""

    def __init__(self, font_dir: Path = DEJAVU) -> None:
        regular, bold = font_dir / "DejaVuSerif.ttf", font_dir / "DejaVuSerif-Bold.ttf"
        self._fonts = (regular, bold) if regular.is_file() and bold.is_file() else None

    async def pdf(self, sheet: CertificateSheet, picture: ArtworkPicture | None) -> bytes:
        return await asyncio.to_thread(self._draw, sheet, picture)

    def _draw(self, sheet: CertificateSheet, picture: ArtworkPicture | None) -> bytes:
        page = _Page(self._fonts)
        page.draw_frame()
        page.draw_heading(sheet)
        if sheet.revoked:
            page.draw_revoked(sheet.revoked, sheet.words.revoked)
        facts = _facts(sheet)
        if picture is not None:
            below = page.title_height(sheet) + _ROW_H * (len(facts) + 2)
            page.draw_picture(picture, sheet, below=below)
        page.draw_title(sheet)
        page.draw_facts(facts)
        page.draw_qr(sheet.link, sheet.words)
        if sheet.revoked:
            page.draw_watermark(sheet.words.revoked)
        return bytes(page.output())


def _facts(sheet: CertificateSheet) -> Sequence[tuple[str, str]]:
    words = sheet.words
    facts = [(words.medium, sheet.medium)]
    if sheet.dimensions:
        facts.append((words.dimensions, sheet.dimensions))
    if sheet.year:
        facts.append((words.year, str(sheet.year)))
    return [
        *facts,
        (words.edition, sheet.edition),
        (words.number, sheet.number),
        (words.issued, sheet.issued_on),
        (words.issuer, sheet.issuer),
        (words.owner, sheet.owner),
        (words.custody, sheet.custody),
        (words.nft, sheet.nft),
    ]


class _Page(FPDF):
    def __init__(self, fonts: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_auto_page_break(auto=False)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_creator("artmarket")
        self._unicode = fonts is not None
        if fonts is not None:
            self.add_font("Serif", "", str(fonts[0]))
            self.add_font("Serif", "B", str(fonts[1]))
            self._family = "Serif"
        else:
            self._family = "Times"
        self.add_page()

    def _text(self, text: str) -> str:
        if self._unicode:
            return text
        # Latin-1 only: drop the accents of other letters, then anything still outside it.
        folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return unicodedata.normalize("NFC", folded).encode("latin-1", "replace").decode("latin-1")

    def _font(self, size: float, *, bold: bool = False, color: tuple[int, int, int] = _INK) -> None:
        self.set_font(self._family, "B" if bold else "", size)
        self.set_text_color(*color)

    def draw_frame(self) -> None:
        self.set_draw_color(*_GOLD)
        self.set_line_width(1.2)
        self.rect(10, 10, _PAGE_W - 20, 277)
        self.set_line_width(0.3)
        self.rect(13.5, 13.5, _PAGE_W - 27, 270)

    def draw_heading(self, sheet: CertificateSheet) -> None:
        self.set_y(22)
        self._font(9, color=_MUTED)
        self.cell(0, 5, self._text(sheet.issuer.upper()), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font(20, bold=True, color=_GOLD)
        self.cell(0, 11, self._text(sheet.words.title), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def draw_revoked(self, banner: str, mark: str) -> None:
        self._font(30, bold=True, color=_RED)
        self.cell(0, 13, self._text(mark), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._font(11, color=_RED)
        self.cell(0, 6, self._text(banner), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def draw_watermark(self, mark: str) -> None:
        # A watermark across the whole page, so a cut-out or a photocopy still says it.
        with self.rotation(55, x=_PAGE_W / 2, y=148.5), self.local_context(fill_opacity=0.12):
            self._font(96, bold=True, color=_RED)
            mark = self._text(mark)
            self.text(_PAGE_W / 2 - self.get_string_width(mark) / 2, 148.5 + 12, mark)

    def draw_picture(self, picture: ArtworkPicture, sheet: CertificateSheet, *, below: float) -> None:
        """The image in the room left once `below` millimetres are kept for the title and facts."""
        top = self.get_y()
        box_w, box_h = _PICTURE_BOX[0], min(_PICTURE_BOX[1], _QR_TOP - 6 - below - top)
        if box_h < 30:
            return
        try:
            self.image(
                io.BytesIO(picture.data),
                x=(_PAGE_W - box_w) / 2,
                y=top,
                w=box_w,
                h=box_h,
                keep_aspect_ratio=True,
                alt_text=self._text(sheet.title),
            )
        except Exception:  # an unreadable image must not stop the certificate printing
            return
        self.set_y(top + box_h + 5)

    def title_height(self, sheet: CertificateSheet) -> float:
        self._font(22, bold=True)
        lines = self.multi_cell(0, _TITLE_LINE_H, self._text(sheet.title), dry_run=True, output="LINES")
        assert isinstance(lines, list)  # output="LINES" gives the wrapped lines
        return _TITLE_LINE_H * len(lines) + 11

    def draw_title(self, sheet: CertificateSheet) -> None:
        self._font(22, bold=True)
        self.multi_cell(
            0, _TITLE_LINE_H, self._text(sheet.title), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self._font(13, color=_MUTED)
        self.cell(
            0,
            7,
            self._text(sheet.words.by_artist % {"artist": sheet.artist}),
            align=Align.C,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.ln(4)

    def draw_facts(self, facts: Sequence[tuple[str, str]]) -> None:
        label_w = 49.0
        for label, value in facts:
            self.set_x(_MARGIN + 6)
            self._font(9, color=_MUTED)
            self.cell(label_w, 6, label.upper())
            self._font(11)
            self.multi_cell(
                _PAGE_W - 2 * (_MARGIN + 6) - label_w,
                6,
                self._text(value),
                align=Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.ln(0.8)

    def draw_qr(self, link: str, words: SheetWords) -> None:
        code = segno.make(link, error="m")
        png = io.BytesIO()
        code.save(png, kind="png", scale=8, border=4)
        top = _QR_TOP
        self.set_draw_color(*_GOLD)
        self.set_line_width(0.2)
        self.line(_MARGIN, top - 4, _PAGE_W - _MARGIN, top - 4)
        self.image(png, x=_MARGIN, y=top, w=_QR_SIZE, h=_QR_SIZE)
        left = _MARGIN + _QR_SIZE + 5
        self.set_xy(left, top + 4)
        self._font(10, bold=True)
        self.cell(0, 5, self._text(words.check), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._font(9, color=_MUTED)
        self.multi_cell(
            _PAGE_W - _MARGIN - left,
            4.6,
            self._text(words.check_how),
            align=Align.L,
            new_x=XPos.LEFT,
            new_y=YPos.NEXT,
        )
        self.set_xy(left, self.get_y() + 1)
        self._font(10)
        self.cell(0, 5, self._text(link), link=link)
