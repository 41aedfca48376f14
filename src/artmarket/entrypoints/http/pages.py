"""A minimal HTML shell for the few server-rendered pages of the API (sandbox, checkout return)."""

from __future__ import annotations

import html

from litestar import Response

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1b1b}}
.card{{border:1px solid #ccc;border-radius:.5rem;padding:1.5rem}}
button{{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem;border-radius:.4rem;border:1px solid #555;
cursor:pointer}}
.pay{{background:#0a7d32;color:#fff}}
.note{{color:#555;font-size:.9rem}}</style></head><body><div class="card">{body}</div></body></html>"""


def page(title: str, body: str, status: int = 200) -> Response[str]:
    """`body` is trusted markup: callers escape every value they put in it."""
    return Response(
        _PAGE.format(title=html.escape(title), body=body),
        media_type="text/html",
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
