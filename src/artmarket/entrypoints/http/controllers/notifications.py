"""Operators' view of what leaves the system (`/admin/outbox`); email links open pages in web/."""

from __future__ import annotations

from datetime import datetime
from inspect import getdoc
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from artmarket.application.audit import Actor
from artmarket.application.notifications.outbox import ListOutbox, OutboxEntry, RetryOutbox
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role

Limit = Annotated[int, Parameter(ge=1, le=100, description="How many, newest first (1-100)")]


class OutboxEntryOut(msgspec.Struct):
    id: UUID
    channel: str
    name: str
    recipient: str | None
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    done_at: datetime | None
    message_id: str | None

    @classmethod
    def of(cls, entry: OutboxEntry) -> OutboxEntryOut:
        """The API's copy of an outbox entry, field for field (the fields above are the entry's)."""
        return msgspec.convert(entry, cls, from_attributes=True)


class OutboxList(msgspec.Struct):
    items: list[OutboxEntryOut]
    #: The newest `limit` entries are listed; no further pages yet.
    next_cursor: str | None = None


class AdminOutboxController(Controller):
    path = "/admin/outbox"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @get("", operation_id="adminListOutbox", description=getdoc(ListOutbox))
    @inject
    async def list_outbox(
        self,
        outbox: FromDishka[ListOutbox],
        status: Literal["pending", "failed", "sent", "published"] | None = None,
        channel: Literal["email", "event"] | None = None,
        limit: Limit = 50,
    ) -> OutboxList:
        entries = await outbox(status=status, channel=channel, limit=limit)
        return OutboxList([OutboxEntryOut.of(entry) for entry in entries])

    @post(
        "/{entry_id:uuid}/retry",
        status_code=HTTP_202_ACCEPTED,
        operation_id="adminRetryOutbox",
        description=getdoc(RetryOutbox),
    )
    @inject
    async def retry(
        self, entry_id: FromPath[UUID], actor: FromDishka[Actor], retry: FromDishka[RetryOutbox]
    ) -> OutboxEntryOut:
        return OutboxEntryOut.of(await retry(actor, entry_id))
