"""The owner's page for claiming their certificate's NFT to their own Hedera account."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from artmarket.application.i18n import gettext as _
from artmarket.application.minting.claims import ClaimCertificate, ClaimPolicy, DescribeClaim
from artmarket.application.minting.ledger import Ledger
from artmarket.domain.errors import DomainError, NotFound
from artmarket.entrypoints.web import failed_forms
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.sessions import page_requires_login, require_principal, web_state


async def _claim_page(
    request: Request[Any, Any, Any],
    certificate_id: UUID,
    form: Form,
    describe: DescribeClaim,
    policy: ClaimPolicy,
    ledger: Ledger,
) -> Response[Any]:
    principal = await require_principal(request)
    outlook = await describe(principal.id, certificate_id)
    return await render(
        request,
        "certificates/claim.html",
        {
            "outlook": outlook,
            "c": outlook.certificate,
            "pending_days": policy.pending_for.days,
            # On the simulated ledger the sandbox wallet stands in for the owner's own.
            "sandbox_wallet": ledger.network == "simulated",
        },
        form=form,
        status=form.status,
    )


@get("/certificates/{certificate_id:uuid}/claim", name="certificate-claim", guards=[page_requires_login])
@inject
async def claim_page(
    request: Request[Any, Any, Any],
    certificate_id: FromPath[UUID],
    describe: FromDishka[DescribeClaim],
    policy: FromDishka[ClaimPolicy],
    ledger: FromDishka[Ledger],
) -> Response[Any]:
    """When the certificate may be claimed, what will happen, and the claim under way."""
    form = failed_forms.recall(request) or Form()
    return await _claim_page(request, certificate_id, form, describe, policy, ledger)


@post(
    "/certificates/{certificate_id:uuid}/claim", name="certificate-claim-submit", guards=[page_requires_login]
)
@inject
async def claim_submit(
    request: Request[Any, Any, Any],
    certificate_id: FromPath[UUID],
    claim: FromDishka[ClaimCertificate],
    describe: FromDishka[DescribeClaim],
    policy: FromDishka[ClaimPolicy],
    ledger: FromDishka[Ledger],
) -> Response[Any]:
    principal = await require_principal(request)
    form = await Form.read(request)
    form.require("account_id", message=_("Give your Hedera account id, like 0.0.1234."))
    if form.ok:
        try:
            started = await claim(principal.id, certificate_id, form.raw("account_id"))
        except NotFound:
            raise
        except DomainError as error:
            form.fail(error)
        else:
            account = {"account": started.task.account_id}
            if started.task.kind.value == "transfer":
                flash = _("Your certificate's NFT is being transferred to %(account)s.") % account
            else:
                flash = _("Your certificate's NFT is being airdropped to %(account)s.") % account
            web_state(request).flash(flash)
            return Redirect(f"/certificates/{certificate_id}/claim", status_code=303)
    return failed_forms.remember(request, form, f"/certificates/{certificate_id}/claim") or await _claim_page(
        request, certificate_id, form, describe, policy, ledger
    )


ROUTES: list[Any] = [claim_page, claim_submit]
