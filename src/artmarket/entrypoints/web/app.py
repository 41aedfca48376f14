"""Mounting the pages into the one Litestar app `bootstrap.create_app` builds.

`web_mount(settings)` gives `entrypoints/http/app.build_app` the page router (session
middleware, CSRF hook, HTMX request class), the static files, the template config and the
page-aware exception handlers. Add a page module to `PAGE_ROUTES` (a module of a package area,
such as `routes/admin/`, to that package's `ROUTES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Router
from litestar.datastructures import CacheControlHeader
from litestar.middleware import DefineMiddleware
from litestar.template.config import TemplateConfig

from artmarket.domain.exchange import ReferenceRates
from artmarket.entrypoints.http.bodies import CheckedPageRequest
from artmarket.entrypoints.http.static import static_files_router
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web import errors
from artmarket.entrypoints.web.rendering import STATIC, STATIC_PREFIX, template_config
from artmarket.entrypoints.web.routes import (
    account,
    admin,
    artist,
    artists,
    auth,
    certificates,
    checkout,
    claims,
    delivery,
    gallery,
    languages,
    media,
    orders,
    search_engines,
)
from artmarket.entrypoints.web.sessions import WebConfig, WebSessionMiddleware, verify_csrf
from artmarket.settings import Settings

#: Every page route handler or controller; one module per area (see docs/web.md).
PAGE_ROUTES: list[Any] = [
    *gallery.ROUTES,
    *artists.ROUTES,
    *auth.ROUTES,
    *account.ROUTES,
    *checkout.ROUTES,
    *orders.ROUTES,
    *certificates.ROUTES,
    *claims.ROUTES,
    *artist.ROUTES,
    *admin.ROUTES,
    *delivery.ROUTES,
    *media.ROUTES,
    *languages.ROUTES,
]
#: Page routes that take files: mounted with the upload body limit, like the API's uploads.
UPLOAD_PAGE_ROUTES: list[Any] = [*artist.UPLOAD_ROUTES]


def page_router(settings: Settings) -> Router:
    return Router(
        path="",
        route_handlers=[*PAGE_ROUTES, upload_page_router(settings)],
        middleware=[DefineMiddleware(WebSessionMiddleware, config=WebConfig.from_settings(settings))],
        before_request=verify_csrf,
        request_class=CheckedPageRequest,
        include_in_schema=False,
    )


def upload_page_router(settings: Settings) -> Router:
    """`UPLOAD_PAGE_ROUTES` with the upload body limit (checked before the body is read)."""
    return Router(
        path="",
        route_handlers=UPLOAD_PAGE_ROUTES,
        request_max_body_size=UploadLimits(settings.max_upload_bytes).max_body_bytes,
    )


@dataclass(frozen=True)
class WebMount:
    route_handlers: list[Any]
    template_config: TemplateConfig[Any]

    @staticmethod
    def exception_handlers(api_handlers: Mapping[Any, Any]) -> dict[Any, Any]:
        return errors.exception_handlers(api_handlers)


def web_mount(settings: Settings) -> WebMount:
    static = static_files_router(
        path=STATIC_PREFIX,
        directories=[str(STATIC)],
        include_in_schema=False,
        # URLs carry a content hash (rendering.static_url), so a year is safe.
        cache_control=CacheControlHeader(max_age=31_536_000, public=True, immutable=True),
    )
    # Crawlers' files are cached publicly: mounted outside the session middleware (no cookie).
    crawlers = Router(path="", route_handlers=search_engines.ROUTES, include_in_schema=False)
    return WebMount(
        [page_router(settings), static, crawlers],
        template_config(
            ledger_mirror_url=settings.resolved_hedera_mirror_url,
            public_base_url=settings.resolved_public_base_url,
            fx_rates=ReferenceRates.parse(settings.fx_rates),
        ),
    )
