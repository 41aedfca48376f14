"""The home page (the gallery takes it over)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from artmarket.entrypoints.web.rendering import render


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Template:
    return await render(request, "home.html")


ROUTES: list[Any] = [home]
