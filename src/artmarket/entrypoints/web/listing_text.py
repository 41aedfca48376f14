"""How a listing's sizes read on a card and a work's page: in cm and in inches."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from artmarket.domain.listing import Dimensions

MM_PER_INCH = Decimal("25.4")
TENTH = Decimal("0.1")
BY = " \N{MULTIPLICATION SIGN} "


def _number(value: Decimal) -> str:
    # One decimal at most, none when it is zero: 90, 90.5, 35.4.
    text = f"{value.quantize(TENTH, rounding=ROUND_HALF_EVEN):f}"
    return text.removesuffix(".0")


def _sides(dimensions: Dimensions) -> list[int]:
    sides = [dimensions.height_mm, dimensions.width_mm]
    return sides if dimensions.depth_mm is None else [*sides, dimensions.depth_mm]


def centimetres(dimensions: Dimensions | None) -> str:
    """`Dimensions(900, 605, 30)` → `90 x 60.5 x 3 cm` with multiplication signs (height, width, depth)."""
    if dimensions is None:
        return ""
    return BY.join(_number(Decimal(mm) / 10) for mm in _sides(dimensions)) + " cm"


def inches(dimensions: Dimensions | None) -> str:
    """`Dimensions(900, 600)` → `35.4 x 23.6 in`, to a tenth of an inch."""
    if dimensions is None:
        return ""
    return BY.join(_number(Decimal(mm) / MM_PER_INCH) for mm in _sides(dimensions)) + " in"
