"""The signed-in user's own account: profile and password."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from artmarket.application.identity.use_cases import ChangePassword, UpdateProfile
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import InvalidCredentials
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import page_requires_login, require_principal, web_state


@get("/me", name="account", guards=[page_requires_login])
async def account(request: Request[Any, Any, Any]) -> Template:
    principal = await require_principal(request)
    form = Form({"display_name": principal.user.display_name.value})
    return await render(request, "account/profile.html", form=form, context={"password_form": Form()})


@post("/me", name="account-save", guards=[page_requires_login])
@inject
async def save_profile(request: Request[Any, Any, Any], update: FromDishka[UpdateProfile]) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("display_name")
    if form.ok:
        try:
            await update(principal, display_name=form.raw("display_name"))
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash("Your profile is saved.")
            return Redirect("/me", status_code=303)
    return await render(
        request, "account/profile.html", form=form, context={"password_form": Form()}, status=form.status
    )


@post("/me/password", name="account-password", guards=[page_requires_login])
@inject
async def change_password(
    request: Request[Any, Any, Any], change: FromDishka[ChangePassword]
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("current_password", "new_password")
    if form.ok and form.raw("new_password") != form.raw("password_again"):
        form.add_error("password_again", "The two new passwords differ.")
    if form.ok:
        try:
            await change(
                principal,
                current_password=form.raw("current_password"),
                new_password=form.raw("new_password"),
            )
        except InvalidCredentials as error:
            form.add_error("current_password", error.message)
        except DomainError as error:
            form.fail(error, fields={"password": "new_password"})
        else:
            web_state(request).flash("Your password is changed; your other sessions were signed out.")
            return Redirect("/me", status_code=303)
    profile = Form({"display_name": principal.user.display_name.value})
    return await render(
        request, "account/profile.html", form=profile, context={"password_form": form}, status=form.status
    )


ROUTES: list[Any] = [account, save_profile, change_password]
