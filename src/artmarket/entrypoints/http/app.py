"""The Litestar application, configured in small named steps."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

from artmarket.entrypoints.http.controllers.health import health, ready
from artmarket.entrypoints.http.controllers.identity import AuthController, MeController
from artmarket.entrypoints.http.middleware import EdgeMiddleware
from artmarket.entrypoints.http.problems import EXCEPTION_HANDLERS
from artmarket.settings import Settings

API_PREFIX = "/api/v1"
DOCS_ASSETS = "/api/docs-assets"


def api_router() -> Router:
    return Router(path=API_PREFIX, route_handlers=[AuthController, MeController])


def openapi_config() -> OpenAPIConfig:
    # Swagger UI's files come from a pinned package and are served by us: no CDN at run time.
    swagger = SwaggerRenderPlugin(
        path="/docs",
        js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
    )
    return OpenAPIConfig(
        title="artmarket",
        version="1.0.0",
        description="Unique artworks, Paystack payments and certificates of authenticity on Hedera.",
        path="/api",
        render_plugins=[swagger],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
            }
        ),
    )


def cors_config(settings: Settings) -> CORSConfig | None:
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After", "ETag"],
    )


def route_handlers() -> list[Any]:
    docs_assets = create_static_files_router(
        path=DOCS_ASSETS, directories=[str(swagger_ui_path)], include_in_schema=False
    )
    return [health, ready, api_router(), docs_assets]


def build_app(settings: Settings, container: AsyncContainer) -> Litestar:
    """The REST API over the given container; the container is closed on shutdown."""

    async def close_container() -> None:
        await container.close()

    app = Litestar(
        route_handlers=route_handlers(),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi_config(),
        cors_config=cors_config(settings),
        request_max_body_size=settings.max_body_bytes,
        on_shutdown=[close_container],
        debug=False,
    )
    setup_dishka(container, app)
    # Outermost, so router 404/405 answers and dishka failures get headers and a log line too.
    app.asgi_handler = EdgeMiddleware(app.asgi_handler, production=settings.is_production)
    return app
