"""Admin route: who holds the catalogue's reservations."""

from __future__ import annotations

from datetime import datetime
from inspect import getdoc
from typing import Annotated
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import Parameter

from artmarket.application.admin.reservations import ListReservationHolders, ReservationHolder
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.admin_schemas import BuyerRef
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role


class ReservedOrderOut(msgspec.Struct):
    id: UUID
    reference: str
    buyer_id: UUID
    artwork: dict[str, str]
    created_at: datetime
    expires_at: datetime


class ReservationHolderOut(msgspec.Struct):
    #: The keyed tag of the client address (null for orders placed before tags were kept).
    client_tag: str | None
    reservations: int
    buyers: list[BuyerRef]
    orders: list[ReservedOrderOut]

    @classmethod
    def of(cls, holder: ReservationHolder) -> ReservationHolderOut:
        return cls(
            client_tag=holder.client_tag,
            reservations=len(holder.reservations),
            buyers=[BuyerRef(*buyer) for buyer in holder.buyers],
            orders=[
                ReservedOrderOut(
                    r.order_id,
                    r.reference,
                    r.buyer_id,
                    {"id": str(r.artwork_id), "title": r.artwork_title},
                    r.created_at,
                    r.expires_at,
                )
                for r in holder.reservations
            ],
        )


class ReservationHoldersOut(msgspec.Struct):
    holders: list[ReservationHolderOut]


class AdminReservationController(Controller):
    path = "/admin/reservations"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @get("", operation_id="adminListReservationHolders", description=getdoc(ListReservationHolders))
    @inject
    async def holders(
        self,
        list_holders: FromDishka[ListReservationHolders],
        limit: Annotated[int, Parameter(ge=1, le=5000, description="Reservations read, oldest first")] = 1000,
    ) -> ReservationHoldersOut:
        return ReservationHoldersOut([ReservationHolderOut.of(h) for h in await list_holders(limit=limit)])
