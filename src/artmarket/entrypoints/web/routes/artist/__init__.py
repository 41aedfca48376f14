"""The artist's studio (`/artist`, role artist): one module per page area, registered in `ROUTES`.

Dashboard, artworks (create, edit, publish, withdraw), images, KYC, profile and payout
account. Same use cases as the API's catalog, checkout and dashboard routes.

Routes that take files (`UPLOAD_ROUTES`) are mounted with the upload body limit
(`ARTMARKET_MAX_UPLOAD_BYTES`), like the API's upload router; the pages tell the browser the
same limit (`data-max-bytes`) so `app.js` refuses a larger file before sending it.
"""

from __future__ import annotations

from typing import Any

from artmarket.entrypoints.web.routes.artist import (
    dashboard,
    editions,
    images,
    kyc,
    payout,
    photo,
    profile,
    works,
)

#: Every studio page, in the order they were registered before the split.
ROUTES: list[Any] = [
    *dashboard.ROUTES,
    *works.ROUTES,
    *editions.ROUTES,
    *kyc.ROUTES,
    *profile.ROUTES,
    *payout.ROUTES,
]
#: Routes that take files: mounted with the upload body limit (see entrypoints/web/app.py).
UPLOAD_ROUTES: list[Any] = [*images.UPLOAD_ROUTES, *kyc.UPLOAD_ROUTES, *photo.UPLOAD_ROUTES]
