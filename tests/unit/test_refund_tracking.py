"""The provider's refund states reach the order: each one it reports, spelled its way.

Before: `TrackRefund` read a provider's state by its value, and Paystack spells
`needs-attention` with a hyphen where the order's `RefundStatus` has `needs_attention`,
so a stuck refund raised instead of flagging the order for an admin.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.support.persistence import a_user, an_artwork, an_order

from artmarket.adapters.payments.sandbox import SandboxPaymentGateway
from artmarket.adapters.security.clock import Uuid7Ids
from artmarket.application.checkout.payments import TrackRefund
from artmarket.application.payments.ports import ProviderRefundStatus, RefundResult
from artmarket.domain.identity import Role
from artmarket.domain.order_lifecycle import OrderStatus, RefundStatus
from artmarket.domain.orders import Order, PaymentEvidence
from artmarket.fakes.clock import FixedClock
from artmarket.fakes.persistence import InMemoryDatabase, InMemoryUnitOfWork

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


async def a_paid_order_with_a_refund_requested(uow: InMemoryUnitOfWork) -> Order:
    artist, buyer = a_user("Ada Obi", role=Role.ARTIST), a_user("Bola Ade")
    artwork = an_artwork(artist)
    order = an_order(buyer, artwork, at=NOW)
    artwork.reserve(NOW)
    order.confirm_payment(
        PaymentEvidence(order.reference, True, order.amount, order.amount, NOW, "success"), NOW
    )
    artwork.sell(NOW)
    order.request_refund("Damaged in transit", NOW)
    async with uow:
        uow.users.add(artist)
        uow.users.add(buyer)
        uow.artworks.add(artwork)
        uow.orders.add(order)
        await uow.commit()
    return order


#: What the order records for each state the provider reports (the database's spelling).
ON_THE_ORDER = {
    ProviderRefundStatus.PENDING: RefundStatus.PENDING,
    ProviderRefundStatus.PROCESSING: RefundStatus.PROCESSING,
    ProviderRefundStatus.PROCESSED: RefundStatus.PROCESSED,
    ProviderRefundStatus.FAILED: RefundStatus.FAILED,
    ProviderRefundStatus.NEEDS_ATTENTION: RefundStatus.NEEDS_ATTENTION,
}


@pytest.mark.parametrize("reported", list(ProviderRefundStatus))
async def test_every_refund_state_the_provider_reports_is_recorded_on_the_order(
    reported: ProviderRefundStatus,
) -> None:
    uow = InMemoryUnitOfWork(InMemoryDatabase())
    order = await a_paid_order_with_a_refund_requested(uow)
    gateway = SandboxPaymentGateway("sk_test_refunds", checkout_base_url="http://shop.test")
    gateway.refunds.append(RefundResult("3000001", order.reference, reported, order.amount))

    tracked = await TrackRefund(uow, gateway, Uuid7Ids(), FixedClock(NOW))(order.reference)

    assert tracked is not None
    assert (tracked.status, tracked.refund_status) == (OrderStatus.REFUNDED, ON_THE_ORDER[reported])
    stuck = reported in (ProviderRefundStatus.FAILED, ProviderRefundStatus.NEEDS_ATTENTION)
    assert (tracked.attention is not None) == stuck
