"""What happens when: per message, the use cases that handle it, in order.

This table is the one answer to "what happens when an order is paid"; the composition root
only binds each named use case to its dependencies. Every handler is idempotent: a message
is delivered at least once, and when one handler fails all of them see it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from artmarket.application.checkout.payments import ConfirmPayment, RefundLatePayment, TrackRefund
from artmarket.application.identity.passwords import SendPasswordResetLink
from artmarket.application.messages import (
    CertificateIssued,
    CertificateRevocationDue,
    DeliveryProblemReported,
    KycDecided,
    LatePaymentRefundDue,
    LedgerTaskQueued,
    LedgerTaskSucceeded,
    Message,
    OrderAwaitingPayment,
    OrderPaid,
    OrderRefunded,
    PasswordResetAsked,
    PasswordResetRequested,
    PaymentEventReceived,
    RefundEventReceived,
    ReservationExpired,
    ShipmentReminderDue,
    ShipmentShipped,
    UserRegistered,
    VerificationEmailRequested,
)
from artmarket.application.minting.batches import MintQueuedJobs
from artmarket.application.minting.claim_outcomes import SettleClaim
from artmarket.application.minting.jobs import StartMinting
from artmarket.application.minting.ledger_tasks import SubmitLedgerTasks
from artmarket.application.minting.revocation import BurnAfterCancelledAirdrop, RevokeCertificate
from artmarket.application.notifications.event_emails import NotifyByEmail


class Subscriber(Protocol):
    """A use case that handles a delivered message (idempotently)."""

    async def handle(self, message: Any) -> object: ...


SUBSCRIPTIONS: Mapping[type[Message], Sequence[type[Subscriber]]] = {
    PaymentEventReceived: (ConfirmPayment,),
    RefundEventReceived: (TrackRefund,),
    LatePaymentRefundDue: (RefundLatePayment,),
    PasswordResetAsked: (SendPasswordResetLink,),
    # Queue the order's job; tell the buyer the payment arrived and the artist the work sold
    # (and what to ship); then mint whatever batch is ready (a lease keeps one minter). The
    # mint goes last: if the ledger is away, the periodic minter takes the job.
    OrderPaid: (StartMinting, NotifyByEmail, MintQueuedJobs),
    # Facts people are told about by email only.
    UserRegistered: (NotifyByEmail,),
    VerificationEmailRequested: (NotifyByEmail,),
    PasswordResetRequested: (NotifyByEmail,),
    OrderAwaitingPayment: (NotifyByEmail,),
    ReservationExpired: (NotifyByEmail,),
    OrderRefunded: (NotifyByEmail,),
    KycDecided: (NotifyByEmail,),
    CertificateIssued: (NotifyByEmail,),
    # Delivery: shipped to the buyer, reminders to the artist, a problem to the admins.
    ShipmentShipped: (NotifyByEmail,),
    ShipmentReminderDue: (NotifyByEmail,),
    DeliveryProblemReported: (NotifyByEmail,),
    # A refund revokes the order's certificate: the revoked trail entry and the burn are
    # queued with it, and each queued ledger task is submitted at once (else periodically).
    CertificateRevocationDue: (RevokeCertificate,),
    LedgerTaskQueued: (SubmitLedgerTasks,),
    # A transfer, airdrop or its cancellation reached consensus: custody follows the ledger;
    # a revoked certificate's airdrop was cancelled: the NFT is back, so it is burned.
    LedgerTaskSucceeded: (SettleClaim, BurnAfterCancelledAirdrop),
}
