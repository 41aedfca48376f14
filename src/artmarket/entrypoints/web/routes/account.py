"""The signed-in user's own account: profile and password."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from artmarket.application.i18n import gettext as _
from artmarket.application.identity.accounts import UpdateProfile
from artmarket.application.identity.passwords import (
    ChangePassword,
    ConfirmPasswordReset,
    RequestPasswordReset,
)
from artmarket.application.identity.registration import VerifyEmail
from artmarket.application.identity.verification import ResendVerificationEmail
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import InvalidCredentials
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.error_text import error_text
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import page_requires_login, require_principal, web_state


@get("/me", name="account", guards=[page_requires_login])
async def account(request: Request[Any, Any, Any]) -> Template:
    principal = await require_principal(request)
    # At most one of the page's forms was kept by a failed post (post/redirect/get).
    form = failed_forms.recall(request) or Form({"display_name": principal.user.display_name.value})
    password_form = failed_forms.recall(request, name="password") or Form()
    return await render(
        request,
        "account/profile.html",
        form=form,
        context={"password_form": password_form},
        status=max(form.status, password_form.status),
    )


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
            web_state(request).flash(_("Your profile is saved."))
            return Redirect("/me", status_code=303)
    return failed_forms.remember(request, form, "/me") or await render(
        request, "account/profile.html", form=form, context={"password_form": Form()}, status=form.status
    )


@post("/me/password", name="account-password", guards=[page_requires_login])
@inject
async def change_password(
    request: Request[Any, Any, Any],
    change: FromDishka[ChangePassword],
    addresses: FromDishka[ClientAddresses],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("current_password", "new_password")
    if form.ok and form.raw("new_password") != form.raw("password_again"):
        form.add_error("password_again", _("The two new passwords differ."))
    if form.ok:
        try:
            await change(
                principal,
                current_password=form.raw("current_password"),
                new_password=form.raw("new_password"),
                client_address=addresses.label(request),
            )
        except InvalidCredentials as error:
            form.add_error("current_password", error_text(error))
        except DomainError as error:
            form.fail(error, fields={"password": "new_password"})
        else:
            web_state(request).flash(_("Your password is changed; your other sessions were signed out."))
            return Redirect("/me", status_code=303)
    if redirect := failed_forms.remember(request, form, "/me", name="password"):
        return redirect
    profile = Form({"display_name": principal.user.display_name.value})
    return await render(
        request, "account/profile.html", form=profile, context={"password_form": form}, status=form.status
    )


@get("/account/verify-email", name="verify-email")
@inject
async def verify_email(
    request: Request[Any, Any, Any], verify: FromDishka[VerifyEmail], token: FromQuery[str] = ""
) -> Template:
    """The welcome email's link. Opening it is the proof: it only says "this mailbox is yours",
    so a mail scanner that follows it does no harm (unlike a password reset, which asks first)."""
    try:
        await verify(token)
    except DomainError:
        return await render(request, "account/link_invalid.html", {"purpose": "verification"}, status=400)
    return await render(request, "account/verified.html")


@post("/me/verify-email", name="account-resend-verification", guards=[page_requires_login])
@inject
async def resend_verification(
    request: Request[Any, Any, Any], resend: FromDishka[ResendVerificationEmail]
) -> Response[Any]:
    principal = await require_principal(request)
    try:
        await resend(principal)
    except DomainError as error:
        form = Form().fail(error)
        profile = Form({"display_name": principal.user.display_name.value})
        return await render(
            request,
            "account/profile.html",
            form=profile,
            context={"password_form": Form(), "verification_form": form},
            status=form.status,
        )
    web_state(request).flash(
        _("We sent a new verification link to %(email)s.") % {"email": principal.user.email}
    )
    return Redirect("/me", status_code=303)


@get("/account/forgot-password", name="forgot-password")
async def forgot_form(request: Request[Any, Any, Any]) -> Template:
    form = failed_forms.recall(request) or Form()
    return await render(request, "account/forgot.html", {"sent": False}, form=form, status=form.status)


@post("/account/forgot-password", name="forgot-password-submit")
@inject
async def forgot_submit(
    request: Request[Any, Any, Any], ask: FromDishka[RequestPasswordReset]
) -> Response[Any]:
    form = await Form.read(request)
    form.require("email", message=_("Enter the email address you signed up with."))
    if not form.ok:
        return failed_forms.remember(request, form, "/account/forgot-password") or await render(
            request, "account/forgot.html", {"sent": False}, form=form, status=form.status
        )
    # The same answer whether or not the address has an account (no account enumeration).
    await ask(form.raw("email"))
    return await render(request, "account/forgot.html", {"sent": True}, form=form)


@get("/account/reset-password", name="reset-password")
async def reset_form(request: Request[Any, Any, Any], token: FromQuery[str] = "") -> Template:
    form = failed_forms.recall(request, defaults={"token": token}) or Form({"token": token})
    return await render(request, "account/reset.html", form=form, status=form.status)


@post("/account/reset-password", name="reset-password-submit")
@inject
async def reset_submit(
    request: Request[Any, Any, Any], confirm: FromDishka[ConfirmPasswordReset]
) -> Response[Any]:
    form = await Form.read(request)
    if form.raw("password") != form.raw("password_again"):
        form.add_error("password_again", _("The two passwords differ."))
        return await _reset_refused(request, form)
    try:
        await confirm(form.raw("token"), form.raw("password"))
    except DomainError as error:
        if error.field == "password":
            return await _reset_refused(request, form.fail(error))
        return await render(request, "account/link_invalid.html", {"purpose": "password"}, status=400)
    return await render(request, "account/reset_done.html")


async def _reset_refused(request: Request[Any, Any, Any], form: Form) -> Response[Any]:
    """Back to the reset page of the same link; the token travels in its address, not in the kept
    form (a reset link is a credential: the cookie need not hold it too)."""
    token = form.raw("token")
    page = f"/account/reset-password?token={quote(token, safe='')}"
    kept = replace(form, values={k: v for k, v in form.values.items() if k != "token"})
    return failed_forms.remember(request, kept, page) or await render(
        request, "account/reset.html", form=form, status=form.status
    )


ROUTES: list[Any] = [
    account,
    save_profile,
    change_password,
    verify_email,
    resend_verification,
    forgot_form,
    forgot_submit,
    reset_form,
    reset_submit,
]
