"""Bearer authentication and role guards, resolved through the request's dishka container."""

from __future__ import annotations

from typing import Any

from dishka import AsyncContainer, Provider, Scope, provide
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from artmarket.application.audit import Actor
from artmarket.application.errors import NotAuthenticated
from artmarket.application.identity.sessions import Authenticate
from artmarket.application.principal import Principal
from artmarket.domain.audit import AuditChannel
from artmarket.domain.errors import NotAllowed
from artmarket.domain.identity import Role

BEARER_SECURITY: list[dict[str, list[str]]] = [{"BearerToken": []}]


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("Send an access token as `Authorization: Bearer <token>`.")
    return token.strip()


class PrincipalProvider(Provider):
    """The authenticated caller, once per request (guards and handlers share it)."""

    # dishka finds the request by its bare class, so `Request` stays unparametrised here.
    @provide(scope=Scope.REQUEST)
    async def principal(self, request: Request, authenticate: Authenticate) -> Principal:  # type: ignore[type-arg]
        # On page routes the browser session (entrypoints/web/sessions.py) already named the caller.
        session: Principal | None = request.scope.get("state", {}).get("session_principal")
        if session is not None:
            return session
        principal = await authenticate(bearer_token(request))
        request.scope.setdefault("state", {})["user_id"] = str(principal.id)
        return principal

    @provide(scope=Scope.REQUEST)
    def actor(self, request: Request, principal: Principal) -> Actor:  # type: ignore[type-arg]
        """The caller as the audit log names them, with the request's X-Request-ID."""
        state: dict[str, Any] = request.scope.get("state", {})
        channel = AuditChannel.WEB if state.get("session_principal") is principal else AuditChannel.HTTP
        return Actor(principal.id, str(principal.user.email), channel, state.get("request_id"))


async def _principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    container: AsyncContainer = connection.state.dishka_container
    return await container.get(Principal)


async def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard: any signed-in, active user."""
    await _principal(connection)


def requires_role(role: Role) -> Guard:
    """Guard: a signed-in, active user holding `role` (403 otherwise)."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = await _principal(connection)
        if not principal.has_role(role):
            raise NotAllowed(f"This needs the {role.value} role.")

    guard.__name__ = f"requires_{role.value}"
    return guard


async def optional_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """The caller when a bearer token is sent (a bad token is still 401), else None."""
    if "authorization" not in connection.headers:
        return None
    return await _principal(connection)
