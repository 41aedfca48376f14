"""The words a page shows for a status, a medium or a role, in every language.

Each value an enum can take, shown as a word by the `label` filter, has its English text
here, marked for the catalogs; `label` translates it where it is shown. Values that several
enums share (`pending`, `failed`) read the same in each.
"""

from __future__ import annotations

from typing import Final

from artmarket.application.i18n import N_
from artmarket.application.medium_words import MEDIUM_WORDS

WORDS: Final[dict[str, str]] = {
    **MEDIUM_WORDS,
    # ArtworkStatus
    "draft": N_("Draft"),
    "published": N_("Published"),
    "reserved": N_("Reserved"),
    "sold": N_("Sold"),
    "withdrawn": N_("Withdrawn"),
    # OrderStatus
    "awaiting_payment": N_("Awaiting payment"),
    "paid": N_("Paid"),
    "minting": N_("Minting"),
    "completed": N_("Completed"),
    "payment_failed": N_("Payment failed"),
    "expired": N_("Expired"),
    "cancelled": N_("Cancelled"),
    "refunded": N_("Refunded"),
    # RefundStatus
    "requested": N_("Requested"),
    "pending": N_("Pending"),
    "processing": N_("Processing"),
    "needs_attention": N_("Needs attention"),
    "failed": N_("Failed"),
    "processed": N_("Processed"),
    # ShipmentStatus
    "awaiting_shipment": N_("Awaiting shipment"),
    "shipped": N_("Shipped"),
    "delivered": N_("Delivered"),
    "delivery_problem": N_("Delivery problem"),
    "resolved": N_("Resolved"),
    # KycStatus
    "not_submitted": N_("Not submitted"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    # MintJobStatus
    "queued": N_("Queued"),
    "submitted": N_("Submitted"),
    "succeeded": N_("Succeeded"),
    # DeliveryStatus (the console's outbox)
    "sent": N_("Sent"),
    # CertificateStatus
    "valid": N_("Valid"),
    # DeliveryConfirmer (who said a work arrived)
    "automatic": N_("Automatic"),
    # Role
    "buyer": N_("Buyer"),
    "artist": N_("Artist"),
    "admin": N_("Admin"),
    # UserStatus
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    # ProvenanceEvent (a certificate's trail)
    "issued": N_("Issued"),
    "revoked": N_("Revoked"),
    "claimed": N_("Claimed"),
    "transferred": N_("Transferred"),
}
