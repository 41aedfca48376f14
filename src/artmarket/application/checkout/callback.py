"""The return from the provider's checkout: anyone may arrive with a payment reference."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from artmarket.application.checkout.payments import ConfirmPayment
from artmarket.application.ports import Limit, RateLimiter, count_or_refuse
from artmarket.application.principal import Principal
from artmarket.domain.order_lifecycle import OrderStatus
from artmarket.domain.orders import Order


@dataclass(frozen=True, slots=True)
class CallbackPolicy:
    """How often one client address may come back from the checkout (each return may ask the provider)."""

    per_address: Limit


@dataclass(frozen=True, slots=True)
class CheckoutReturn:
    """What the caller may learn: the order's id and status; the order itself only for its buyer."""

    order_id: UUID
    status: OrderStatus
    order: Order | None
    #: The provider declined the charge and the order still waits for a payment (try again).
    declined: bool = False


class ReturnFromCheckout:
    """The buyer's browser or app returns from the provider's checkout: confirm the payment.

    Rules: at most `per_address` returns per client address and window (429 above it),
    counted before anything else, since a return may cost a call to the provider; a
    reference that names no order is 404 and the provider is not asked; then the payment
    is confirmed exactly as the webhook would (`ConfirmPayment`). The reference travels in
    URLs, so holding it proves nothing: the whole order goes only to its buyer, anyone
    else learns its status.
    """

    def __init__(self, confirm: ConfirmPayment, limiter: RateLimiter, policy: CallbackPolicy) -> None:
        self._confirm = confirm
        self._limiter = limiter
        self._policy = policy

    async def __call__(
        self, reference: str, *, client_address: str, viewer: Principal | None
    ) -> CheckoutReturn:
        await count_or_refuse(
            self._limiter,
            f"payment-callback:address:{client_address}",
            self._policy.per_address,
            "Too many payment confirmations from this address; try again later.",
        )
        order, evidence = await self._confirm.confirm(reference)
        shown = order if viewer is not None and viewer.id == order.buyer_id else None
        declined = evidence.declined and order.status is OrderStatus.AWAITING_PAYMENT
        return CheckoutReturn(order.id, order.status, shown, declined)
