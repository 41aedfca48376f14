"""The orders table as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

from artmarket.application.admin.ports import OrderRow

CSV_COLUMNS: Final = (
    "order_id",
    "reference",
    "status",
    "currency",
    "amount",
    "artist_share",
    "platform_fee",
    "buyer_email",
    "buyer_name",
    "artwork_id",
    "artwork_title",
    "created_at",
    "paid_at",
    "refund_status",
    "attention",
    "shipping",
    "shipment_status",
    "destination_country",
)
#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection");
#: some spreadsheets read the full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) as the ASCII ones.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: object) -> str:
    """The cell's text, with a leading apostrophe when a spreadsheet would run it as a formula.

    Amounts are written as integers (minor units), which never start with a sign here.
    """
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def order_cells(row: OrderRow) -> Sequence[str]:
    return [
        safe_cell(value)
        for value in (
            row.id,
            row.reference,
            row.status.value,
            row.amount.currency.code,
            row.amount.amount,
            row.artist_share.amount,
            row.platform_fee.amount,
            row.buyer_email,
            row.buyer_name,
            row.artwork_id,
            row.artwork_title,
            row.created_at.isoformat(),
            row.paid_at.isoformat() if row.paid_at else None,
            row.refund_status.value if row.refund_status else None,
            row.attention,
            row.shipping.amount if row.shipping else 0,
            row.shipment_status.value if row.shipment_status else None,
            row.destination_country,
        )
    ]


def orders_csv(rows: Iterable[OrderRow]) -> str:
    """RFC 4180 CSV (CRLF line ends, quoted where needed) with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(order_cells(row))
    return out.getvalue()
