"""The admin console (`/admin`, role admin): one module per page area, registered in `ROUTES`.

Orders (filters, search, CSV), order detail with payment events and the shipment, refunds,
the mint queue and the outbox (`operations`), users, artwork take-downs, KYC review with the
identity document, the audit log and the reservations. The same use cases as the API's admin
routes; every action that the API asks a reason for asks for one here, and is audited with
channel `web`.

Actions are plain POST forms (post/redirect/get back to the page they were on, `back`); a
refused action comes back to that page too, with the error beside the reason the admin typed
(`console.act_on_form`, `failed_forms`); a conflict is answered in place. Listings page
with signed cursors; "Load more" fetches the next rows with HTMX.
"""

from __future__ import annotations

from typing import Any

from artmarket.entrypoints.web.routes.admin import (
    artworks,
    audit_log,
    home,
    kyc,
    operations,
    orders,
    reservations,
    users,
)

#: Every console page, in the order they were registered before the split.
ROUTES: list[Any] = [
    *home.ROUTES,
    *orders.ROUTES,
    *operations.ROUTES,
    *users.ROUTES,
    *artworks.ROUTES,
    *kyc.ROUTES,
    *audit_log.ROUTES,
    *reservations.ROUTES,
]
