"""Sign in, sign out, register."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from artmarket.application.i18n import current_language
from artmarket.application.i18n import gettext as _
from artmarket.application.identity.registration import RegisterUser
from artmarket.application.identity.sessions import AuthenticateSession, Login, Logout, TokenPair
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import InvalidCredentials, Role
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import current_principal, safe_next, web_state

SELF_SERVICE_ROLES = (Role.BUYER.value, Role.ARTIST.value)
#: Where a sign-in without `next=` lands: each role's own home.
LANDING = {Role.ADMIN: "/admin", Role.ARTIST: "/artist"}


@get("/login", name="login")
async def login_form(
    request: Request[Any, Any, Any], next: FromQuery[str | None] = None
) -> Template | Redirect:
    if await current_principal(request) is not None:
        return Redirect(safe_next(next), status_code=303)
    form = failed_forms.recall(request) or Form()
    return await render(
        request, "auth/login.html", {"next": safe_next(next, default="")}, form=form, status=form.status
    )


@post("/login", name="login-submit")
@inject
async def login_submit(
    request: Request[Any, Any, Any],
    login: FromDishka[Login],
    logout: FromDishka[Logout],
    authenticate: FromDishka[AuthenticateSession],
    addresses: FromDishka[ClientAddresses],
) -> Response[Any]:
    form = await Form.read(request)
    target = safe_next(form.get("next"), default="")
    form.require("email", "password", message=_("Enter your email and password."))
    if form.ok:
        try:
            pair = await login(
                email=form.raw("email"),
                password=form.raw("password"),
                client_address=addresses.label(request),
            )
        except InvalidCredentials as error:
            form.error = error_text(error)
            form.status = 401
        except DomainError as error:
            form.fail(error)
        else:
            if not target:  # no page asked for: the role's home
                principal = await authenticate(pair.refresh_token)
                target = next((home for role, home in LANDING.items() if principal.has_role(role)), "/")
            return await _start_session(request, logout, pair, _("You are signed in."), target)
    page = "/login" if target == "/" else f"/login?next={quote(target, safe='/')}"
    return failed_forms.remember(request, form, page) or await render(
        request, "auth/login.html", {"next": target}, form=form, status=form.status
    )


@post("/logout", name="logout")
@inject
async def logout_submit(request: Request[Any, Any, Any], logout: FromDishka[Logout]) -> Redirect:
    await _end_current_session(request, logout)
    web = web_state(request)
    web.end_session()
    web.flash(_("You are signed out."))
    return Redirect("/", status_code=303)


async def _start_session(
    request: Request[Any, Any, Any], logout: Logout, pair: TokenPair, flash: str, target: str
) -> Redirect:
    """Sign the browser in with a fresh token pair (ending the session it had), then go on to `target`."""
    await _end_current_session(request, logout)
    web = web_state(request)
    web.start_session(pair.refresh_token)
    web.flash(flash)
    return Redirect(target, status_code=303)


async def _end_current_session(request: Request[Any, Any, Any], logout: Logout) -> None:
    """Revoke the browser's current session server-side (sign-in rotates it; sign-out ends it)."""
    principal = await current_principal(request)
    token = web_state(request).session_token
    if principal is not None and token:
        await logout(principal, token)


@get("/register", name="register")
async def register_form(request: Request[Any, Any, Any], role: FromQuery[str | None] = None) -> Template:
    form = failed_forms.recall(request) or Form(
        {"role": role if role in SELF_SERVICE_ROLES else Role.BUYER.value}
    )
    return await render(request, "auth/register.html", form=form, status=form.status)


@post("/register", name="register-submit")
@inject
async def register_submit(
    request: Request[Any, Any, Any],
    register: FromDishka[RegisterUser],
    login: FromDishka[Login],
    logout: FromDishka[Logout],
    addresses: FromDishka[ClientAddresses],
) -> Response[Any]:
    form = await Form.read(request)
    form.require("email", "password", "display_name")
    role = form.choice("role", SELF_SERVICE_ROLES, required=True)
    if form.raw("password") != form.raw("password_again"):
        form.add_error("password_again", _("The two passwords differ."))
    if form.ok and role is not None:
        address = addresses.label(request)
        try:
            await register(
                email=form.raw("email"),
                password=form.raw("password"),
                display_name=form.raw("display_name"),
                role=Role(role),
                client_address=address,
                language=current_language(),
            )
            pair = await login(email=form.raw("email"), password=form.raw("password"), client_address=address)
        except DomainError as error:
            form.fail(error)
        else:
            return await _start_session(
                request, logout, pair, _("Welcome! We sent you an email to confirm your address."), "/"
            )
    return failed_forms.remember(request, form, "/register") or await render(
        request, "auth/register.html", form=form, status=form.status
    )


ROUTES: list[Any] = [login_form, login_submit, logout_submit, register_form, register_submit]
