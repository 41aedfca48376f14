"""Answers that are files to download: the orders table as CSV (the API's and the console's)."""

from __future__ import annotations

from collections.abc import Iterable

from litestar import Response

from artmarket.application.admin.export import orders_csv
from artmarket.application.admin.ports import OrderRow


def orders_csv_download(rows: Iterable[OrderRow]) -> Response[str]:
    """`orders.csv` as an attachment, never cached (it holds buyers' details)."""
    return Response(
        orders_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="orders.csv"',
            "Cache-Control": "private, no-store",
        },
    )
