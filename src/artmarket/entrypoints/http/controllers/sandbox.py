"""The sandbox checkout (dev only): a local page that behaves like Paystack's.

Pay marks the sandbox transaction successful, delivers a correctly signed, Paystack-shaped
`charge.success` to our own webhook handling, then redirects to the callback, exactly as
Paystack would. Decline marks it failed and returns to the callback. The callback is the
current one, not the one given at checkout: the app may serve on another port since.
"""

from __future__ import annotations

import html

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.application.checkout.payments import ReceivePaymentWebhook
from artmarket.application.checkout.placing import CheckoutPolicy
from artmarket.application.payments.ports import CheckoutRequest
from artmarket.domain.errors import NotFound
from artmarket.entrypoints.http.pages import page


def _transaction(gateway: SandboxPaymentGateway, reference: str) -> CheckoutRequest:
    """The sandbox transaction with this reference (404 when there is none)."""
    transaction = gateway.checkout_request(reference)
    if transaction is None:
        raise NotFound("No sandbox transaction has this reference.")
    return transaction


def _back_to_callback(policy: CheckoutPolicy, reference: str) -> Redirect:
    """Return to the shop's current callback with the reference, as Paystack does."""
    return Redirect(f"{policy.callback_url}?trxref={reference}&reference={reference}", status_code=303)


class SandboxCheckoutController(Controller):
    path = "/sandbox/paystack/checkout"
    include_in_schema = False

    @get("/{reference:str}")
    @inject
    async def checkout(
        self, reference: FromPath[str], gateway: FromDishka[SandboxPaymentGateway]
    ) -> Response[str]:
        transaction = _transaction(gateway, reference)
        ref = html.escape(reference)
        body = (
            "<h1>Sandbox checkout</h1>"
            f"<p>Reference <code>{ref}</code></p>"
            f"<p>Amount <strong>{html.escape(str(transaction.amount.amount))}</strong> "
            f"{html.escape(transaction.amount.currency.code)} (minor units), "
            f"charged to {html.escape(transaction.email)}</p>"
            f'<form method="post" action="/sandbox/paystack/checkout/{ref}/pay" class="inline">'
            '<button class="pay" type="submit" id="pay">Pay</button></form>'
            f'<form method="post" action="/sandbox/paystack/checkout/{ref}/decline" class="inline">'
            '<button type="submit" id="decline">Decline</button></form>'
            '<p class="note">This is the development sandbox: no money moves.</p>'
        )
        return page("Sandbox checkout", body)

    @post("/{reference:str}/pay", status_code=303)
    @inject
    async def pay(
        self,
        reference: FromPath[str],
        gateway: FromDishka[SandboxPaymentGateway],
        receive: FromDishka[ReceivePaymentWebhook],
        policy: FromDishka[CheckoutPolicy],
    ) -> Redirect:
        _transaction(gateway, reference)
        gateway.complete(reference, outcome="success")
        body, signature = gateway.webhook_for(reference)
        await receive(body, signature)
        return _back_to_callback(policy, reference)

    @post("/{reference:str}/decline", status_code=303)
    @inject
    async def decline(
        self,
        reference: FromPath[str],
        gateway: FromDishka[SandboxPaymentGateway],
        policy: FromDishka[CheckoutPolicy],
    ) -> Redirect:
        _transaction(gateway, reference)
        gateway.complete(reference, outcome="failed")
        return _back_to_callback(policy, reference)
