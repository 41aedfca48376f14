"""The Litestar application, configured in small named steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dishka import AsyncContainer
from dishka.integrations.litestar import setup_dishka
from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import CacheControlHeader
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from swagger_ui_bundle import swagger_ui_path

from artmarket.adapters.observability.metrics import HttpMetrics
from artmarket.adapters.observability.tracing import tracing_active
from artmarket.entrypoints.http.bodies import CheckedRequest
from artmarket.entrypoints.http.controllers.admin import AdminController
from artmarket.entrypoints.http.controllers.artists import ArtistController, ArtistProfileController
from artmarket.entrypoints.http.controllers.artworks import ArtworkController, MyCatalogController
from artmarket.entrypoints.http.controllers.certificate_admin import AdminCertificateController
from artmarket.entrypoints.http.controllers.checkout import (
    MyOrdersController,
    OrderController,
    PaystackController,
)
from artmarket.entrypoints.http.controllers.claims import ClaimController
from artmarket.entrypoints.http.controllers.dashboards import DashboardController
from artmarket.entrypoints.http.controllers.health import health, ready
from artmarket.entrypoints.http.controllers.identity import AuthController, MeController
from artmarket.entrypoints.http.controllers.kyc import AdminKycController, KycController
from artmarket.entrypoints.http.controllers.metrics import metrics_route
from artmarket.entrypoints.http.controllers.minting import (
    AdminMintJobController,
    CertificateController,
    MyCertificatesController,
)
from artmarket.entrypoints.http.controllers.mirror_subset import mirror_subset_router
from artmarket.entrypoints.http.controllers.notifications import AdminOutboxController
from artmarket.entrypoints.http.controllers.proofs import CertificateProofController
from artmarket.entrypoints.http.controllers.reservations import AdminReservationController
from artmarket.entrypoints.http.controllers.sandbox import SandboxCheckoutController
from artmarket.entrypoints.http.controllers.sandbox_wallet import SandboxWalletController
from artmarket.entrypoints.http.controllers.uploads import UploadController
from artmarket.entrypoints.http.lifecycle import Drain, DrainMiddleware
from artmarket.entrypoints.http.middleware import EdgeMiddleware
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.http.problems import EXCEPTION_HANDLERS
from artmarket.entrypoints.http.static import static_files_router
from artmarket.entrypoints.http.uploads import UploadLimits
from artmarket.entrypoints.web.app import web_mount
from artmarket.settings import Settings

API_PREFIX = "/api/v1"
DOCS_ASSETS = "/api/docs-assets"


def api_router(settings: Settings) -> Router:
    uploads = Router(
        path="",
        route_handlers=[UploadController],
        # Files may be larger than JSON bodies; the limit is checked before the body is read.
        request_max_body_size=UploadLimits(settings.max_upload_bytes).max_body_bytes,
    )
    return Router(
        path=API_PREFIX,
        route_handlers=[
            AuthController,
            MeController,
            ArtistProfileController,
            KycController,
            ArtworkController,
            MyCatalogController,
            ArtistController,
            AdminKycController,
            AdminOutboxController,
            OrderController,
            MyOrdersController,
            PaystackController,
            CertificateController,
            CertificateProofController,
            MyCertificatesController,
            ClaimController,
            AdminMintJobController,
            AdminCertificateController,
            DashboardController,
            AdminController,
            AdminReservationController,
            uploads,
        ],
    )


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


def route_handlers(settings: Settings, media_root: Path | None) -> list[Any]:
    docs_assets = static_files_router(
        path=DOCS_ASSETS, directories=[str(swagger_ui_path)], include_in_schema=False
    )
    handlers: list[Any] = [
        health,
        ready,
        metrics_route(settings.metrics_token),
        api_router(settings),
        docs_assets,
    ]
    if settings.payments == "sandbox":
        handlers.append(SandboxCheckoutController)
    if settings.ledger == "simulated":
        handlers.append(SandboxWalletController)
        # The certificate check works offline: this app answers as the simulated ledger's mirror node.
        handlers.append(mirror_subset_router(API_PREFIX))
    if media_root is not None:
        # Derivatives are immutable (new uploads get new keys), so caches may keep them for a year.
        handlers.append(
            static_files_router(
                path="/media",
                directories=[str(media_root)],
                include_in_schema=False,
                cache_control=CacheControlHeader(max_age=31_536_000, public=True, immutable=True),
            )
        )
    return handlers


def observability_plugins() -> list[Any]:
    """HTTP server spans when this process exports traces (health checks and scrapes are not traced)."""
    if not tracing_active():
        return []
    return [
        OpenTelemetryPlugin(
            OpenTelemetryConfig(
                exclude=["^/health$", "^/ready$", "^/metrics$"],
                exclude_spans=["receive", "send"],
                # Named after the route once it is matched (EdgeMiddleware), not after the raw URL.
                scope_span_details_extractor=lambda scope: (str(scope.get("method", "HTTP")), {}),
            )
        )
    ]


def plain_http_origin(url: str) -> str | None:
    """`http://host:port` of an http:// URL (the CSP names it); None for https, already allowed."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme == "http" else None


def web_origin(url: str | None) -> str | None:
    """`scheme://host:port` of a URL (the CSP names origins, not paths); None without one."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def build_app(
    settings: Settings,
    container: AsyncContainer,
    *,
    media_root: Path | None = None,
    lifespan: Sequence[Callable[[Litestar], AbstractAsyncContextManager[None]]] = (),
    drain: Drain | None = None,
) -> Litestar:
    """The REST API over the given container; the container is closed on shutdown.

    `media_root` serves the local content store's public files under `/media`; `lifespan`
    runs beside the server (the embedded profile's in-process worker and scheduler);
    `drain` is set by the server on SIGTERM (`/ready` fails, connections close).
    """

    async def close_container() -> None:
        await container.close()

    # The server-rendered pages (entrypoints/web): same app, same container, same use cases.
    web = web_mount(settings)
    app = Litestar(
        route_handlers=[*route_handlers(settings, media_root), *web.route_handlers],
        template_config=web.template_config,
        lifespan=list(lifespan),
        exception_handlers=web.exception_handlers(EXCEPTION_HANDLERS),
        openapi_config=openapi_config(),
        cors_config=cors_config(settings),
        request_max_body_size=settings.max_body_bytes,
        request_class=CheckedRequest,
        plugins=observability_plugins(),
        on_shutdown=[close_container],
        debug=False,
    )
    setup_dishka(container, app)
    # Outermost, so router 404/405 answers and dishka failures get headers and a log line too.
    app.asgi_handler = EdgeMiddleware(
        app.asgi_handler,
        deployed=settings.is_deployed,
        addresses=ClientAddresses.from_settings(settings.trusted_proxies),
        metrics=HttpMetrics(),
        image_origin=plain_http_origin(settings.resolved_media_base_url),
        connect_origin=web_origin(settings.resolved_hedera_mirror_url),
    )
    if drain is not None:
        app.state.drain = drain
        app.asgi_handler = DrainMiddleware(app.asgi_handler, drain)
    return app
