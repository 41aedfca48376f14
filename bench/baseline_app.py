"""The bare baseline for bench/gallery.py: one Litestar route, one raw psycopg query, msgspec out.

Run by the benchmark as `python bench/baseline_app.py DATABASE_CONNINFO PORT`. It answers
the same listings as `GET /api/v1/artworks` with the same query (the same columns, the
cover thumbnail, the suspended-artist filter, keyset on the same partial indexes) and the
same JSON document (nested artist, price and thumbnail), so the ratio artmarket/baseline is
the cost of everything else: validation, the use case, signed cursors, ETags, headers.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
import uvicorn
from litestar import Litestar, Response, get
from psycopg_pool import AsyncConnectionPool

SORTS = {
    "newest": ("a.published_at", "DESC"),
    "price_asc": ("a.price_amount", "ASC"),
}


MEDIA_BASE_URL = "http://127.0.0.1:8000/media"


class Artist(msgspec.Struct):
    id: UUID
    display_name: str


class Price(msgspec.Struct):
    amount: int
    currency: str


class Thumbnail(msgspec.Struct):
    url: str | None
    width: int | None
    height: int | None


class Edition(msgspec.Struct, omit_defaults=True):
    kind: str
    size: int | None = None
    artist_proofs: int | None = None
    available: int | None = None
    sold: int | None = None


UNIQUE = Edition("unique")


class Card(msgspec.Struct):
    id: UUID
    title: str
    artist: Artist
    medium: str
    year: int | None
    price: Price
    status: str
    thumbnail: Thumbnail | None
    favorites_count: int
    published_at: datetime
    edition: Edition
    available_from: datetime | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Card:
        thumbnail = Thumbnail(f"{MEDIA_BASE_URL}/{row[9]}", row[10], row[11]) if row[9] else None
        return cls(
            row[0],
            row[1],
            Artist(row[2], row[3]),
            row[4],
            row[8],
            Price(row[5], row[6]),
            row[7],
            thumbnail,
            row[12],
            row[13],
            UNIQUE if row[14] == "unique" else Edition(row[14], row[15], row[16], row[17], row[18]),
            row[19],
        )


class Page(msgspec.Struct):
    items: list[Card]
    next_cursor: str | None


pool: AsyncConnectionPool | None = None


@get("/artworks")
async def artworks(
    sort: str = "newest",
    currency: str | None = None,
    min_price: int | None = None,
    max_price: int | None = None,
    q: str | None = None,
    after_key: str | None = None,
    after_id: UUID | None = None,
    limit: int = 24,
) -> Response[bytes]:
    column, direction = SORTS[sort]
    where = ["a.status = 'published'", "a.artist_suspended = false"]
    params: list[object] = []
    if currency:
        where.append("a.price_currency = %s")
        params.append(currency)
    if min_price is not None:
        where.append("a.price_amount >= %s")
        params.append(min_price)
    if max_price is not None:
        where.append("a.price_amount <= %s")
        params.append(max_price)
    if q:
        # The same search as artmarket's: every word as a prefix, 'simple' configuration.
        where.append("a.search_vector @@ to_tsquery('simple', %s)")
        params.append(" & ".join(f"{word}:*" for word in re.findall(r"[^\W_]+", q.lower())))
    if after_key is not None and after_id is not None:
        comparison = "<" if direction == "DESC" else ">"
        where.append(f"({column}, a.id) {comparison} (%s, %s)")
        params += [int(after_key) if sort == "price_asc" else datetime.fromisoformat(after_key), after_id]
    sql = (
        "SELECT a.id, a.title, a.artist_id, a.artist_name, a.medium, a.price_amount, a.price_currency, "
        "a.status, a.year, a.cover_thumbnail_key, a.cover_width, a.cover_height, a.favorites_count, "
        "a.published_at, a.edition_kind, a.edition_size, a.edition_artist_proofs, a.edition_available, "
        "a.edition_sold, a.available_from FROM artworks a "
        f"WHERE {' AND '.join(where)} ORDER BY {column} {direction}, a.id {direction} LIMIT %s"
    )
    params.append(limit)
    assert pool is not None
    async with pool.connection() as connection:
        rows = await (await connection.execute(sql, params)).fetchall()
    return Response(
        msgspec.json.encode(Page([Card.of(row) for row in rows], None)), media_type="application/json"
    )


async def open_pool(conninfo: str) -> None:
    global pool
    pool = AsyncConnectionPool(conninfo, min_size=4, max_size=10, open=False)
    await pool.open()


def main() -> None:
    conninfo, port = sys.argv[1], int(sys.argv[2])

    async def startup() -> None:
        await open_pool(conninfo)

    app = Litestar([artworks], on_startup=[startup], debug=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
