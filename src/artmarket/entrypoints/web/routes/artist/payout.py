"""The studio's payout account: the bank account the artist's sales are paid to."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from artmarket.application.checkout.payouts import GetPayoutAccount, SavePayoutAccount
from artmarket.application.i18n import gettext as _
from artmarket.domain.errors import DomainError
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.artist.studio import ARTIST
from artmarket.entrypoints.web.sessions import require_principal, web_state


@get("/artist/payout", name="artist-payout", guards=[ARTIST])
@inject
async def payout(request: Request[Any, Any, Any], get_account: FromDishka[GetPayoutAccount]) -> Template:
    principal = await require_principal(request)
    account = await get_account(principal)
    form = failed_forms.recall(request) or Form({"bank_code": account.bank_code} if account else {})
    return await render(request, "artist/payout.html", {"account": account}, form=form, status=form.status)


@post("/artist/payout", name="artist-payout-save", guards=[ARTIST])
@inject
async def save_payout(
    request: Request[Any, Any, Any],
    save: FromDishka[SavePayoutAccount],
    get_account: FromDishka[GetPayoutAccount],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("bank_code", "account_number")
    for name in ("bank_code", "account_number"):
        if form.raw(name) and not form.raw(name).isdigit():
            form.add_error(name, _("Use digits only."))
    if form.ok:
        try:
            await save(principal, bank_code=form.raw("bank_code"), account_number=form.raw("account_number"))
        except DomainError as error:
            form.fail(error)
        else:
            web_state(request).flash(_("Your payout account is saved."))
            return Redirect("/artist/payout", status_code=303)
    if redirect := failed_forms.remember(request, form, "/artist/payout"):
        return redirect
    account = await get_account(principal)
    return await render(request, "artist/payout.html", {"account": account}, form=form, status=form.status)


ROUTES: list[Any] = [payout, save_payout]
