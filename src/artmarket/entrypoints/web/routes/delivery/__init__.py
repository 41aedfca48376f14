"""Delivery pages, one module per area, registered in `ROUTES`: the buyer's details step for a
physical work, the shipment (the buyer's confirm / report, the artist's shipments) and the
buyer's saved addresses.
"""

from __future__ import annotations

from typing import Any

from artmarket.entrypoints.web.routes.delivery import addresses, details, shipments

ROUTES: list[Any] = [*details.ROUTES, *shipments.ROUTES, *addresses.ROUTES]
