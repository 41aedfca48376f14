"""A minimal HTML shell for the development sandbox's checkout page (it stands in for Paystack's, so it
is deliberately not one of our own pages: those are in entrypoints/web)."""

from __future__ import annotations

import html

from litestar import Response

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/sandbox.css">
</head><body><div class="card">{body}</div></body></html>"""


def page(title: str, body: str, status: int = 200) -> Response[str]:
    """`body` is trusted markup: callers escape every value they put in it."""
    return Response(
        _PAGE.format(title=html.escape(title), body=body),
        media_type="text/html",
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
