"""EXPLAIN of a gallery listing exactly as `PostgresGalleryQueries` sends it.

Shared by the plan contract test and `bench/gallery.py`. A prepared listing is explained
under its generic plan (`plan_cache_mode = force_generic_plan`: the plan a statement
prepared by psycopg can end up with); a search, which is never prepared, under the custom
plan its own values get (the unnamed statement of the extended protocol is planned with
the values bound to it).
"""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql

Statement = tuple[sql.Composable, dict[str, Any] | None]


def explain_statements(text: str, values: dict[str, Any], *, generic: bool) -> list[Statement]:
    """The statements to run in order on one connection; the one starting EXPLAIN answers the plan."""
    if not generic:
        return [(sql.SQL("EXPLAIN ") + sql.SQL(text), values)]
    names: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    prepared = re.sub(r"%\((\w+)\)s", placeholder, text).replace("%%", "%")
    arguments = sql.SQL(", ").join(sql.Literal(values[name]) for name in names)
    return [
        (sql.SQL("SET plan_cache_mode = force_generic_plan"), None),
        (sql.SQL("PREPARE listing AS ") + sql.SQL(prepared), None),
        (sql.SQL("EXPLAIN EXECUTE listing({})").format(arguments), None),
        (sql.SQL("DEALLOCATE listing"), None),
        (sql.SQL("RESET plan_cache_mode"), None),
    ]


def plan_uses_an_index(plan: str) -> bool:
    """No sequential scan of artworks, and an index scan (plain or bitmap) on it."""
    return "Seq Scan on artworks" not in plan and bool(
        re.search(r"Index Scan( Backward)? using \w+ on artworks|Bitmap Index Scan on ix_artworks", plan)
    )


def indexes_used(plan: str) -> list[str]:
    """The indexes of artworks the plan reads, in plan order."""
    return re.findall(r"(?:Index Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)", plan)
