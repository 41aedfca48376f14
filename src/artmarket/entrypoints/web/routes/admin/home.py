"""The console's home page: what waits for an admin (KYC, failed mints and emails, latest orders)."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, get
from litestar.response import Template

from artmarket.application.admin.orders import ListOrders
from artmarket.application.admin.ports import OrderFilter
from artmarket.application.catalog.kyc import ListKycCases
from artmarket.application.minting.ledger_admin import GetLedgerStatus
from artmarket.application.notifications.outbox import ListOutbox
from artmarket.domain.artists import KycStatus
from artmarket.domain.certificates import MintJobStatus
from artmarket.entrypoints.web.rendering import render
from artmarket.entrypoints.web.routes.admin.console import ADMIN


@get("/admin", name="admin-home", guards=[ADMIN])
@inject
async def home(
    request: Request[Any, Any, Any],
    kyc: FromDishka[ListKycCases],
    ledger: FromDishka[GetLedgerStatus],
    outbox: FromDishka[ListOutbox],
    list_orders: FromDishka[ListOrders],
) -> Template:
    pending = await kyc(status=KycStatus.PENDING, limit=100)
    status = await ledger()
    failed_outbox = await outbox(status="failed", limit=100)
    latest = await list_orders(OrderFilter(), cursor=None, limit=5)
    return await render(
        request,
        "admin/home.html",
        {
            "pending_kyc": len(pending),
            "ledger": status,
            "failed_mints": status.jobs.get(MintJobStatus.FAILED, 0),
            "failed_outbox": len(failed_outbox),
            "latest_orders": latest.items,
        },
    )


ROUTES: list[Any] = [home]
