"""The buyer-facing stage texts of `domain.order_stage` marked for the catalogs.

The domain writes a stage in English (`BuyerStage.text`, also what the API returns) and
cannot call gettext; the certificate email names the buyer's stage and its template
translates that text, so every stage text is a message of the email catalog. A unit test
keeps this list equal to `STAGE_TEXT`.
"""

from __future__ import annotations

from typing import Final

from artmarket.application.i18n import N_

STAGE_TEXTS: Final = (
    N_("Reserved · waiting for your payment"),
    N_("Payment declined · the work was not charged"),
    N_("Reservation expired before payment"),
    N_("This order was cancelled"),
    N_("Paid · preparing your certificate"),
    N_("Paid · certificate being issued"),
    N_("Paid · certificate issued · awaiting shipment"),
    N_("Paid · certificate issued · shipped"),
    N_("Paid · certificate issued · delivery problem reported"),
    N_("Delivered · the work is yours and certified"),
    N_("Complete · the work is yours and certified"),
    N_("Paid · a refund was requested"),
    N_("Your payment was refunded"),
)
