"""Operators' view of what leaves the system (`/admin/outbox`) and the pages email links open."""

from __future__ import annotations

import html
from datetime import datetime
from inspect import getdoc
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.status_codes import HTTP_202_ACCEPTED

from artmarket.application.audit import Actor
from artmarket.application.identity.use_cases import ConfirmPasswordReset, VerifyEmail
from artmarket.application.notifications.use_cases import ListOutbox, OutboxEntry, RetryOutbox
from artmarket.domain.errors import DomainError
from artmarket.domain.identity import Role
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.pages import page

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
        return cls(
            id=entry.id,
            channel=entry.channel,
            name=entry.name,
            recipient=entry.recipient,
            status=entry.status,
            attempts=entry.attempts,
            last_error=entry.last_error,
            created_at=entry.created_at,
            next_attempt_at=entry.next_attempt_at,
            done_at=entry.done_at,
            message_id=entry.message_id,
        )


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
        self, entry_id: UUID, actor: FromDishka[Actor], retry: FromDishka[RetryOutbox]
    ) -> OutboxEntryOut:
        return OutboxEntryOut.of(await retry(actor, entry_id))


_INVALID_LINK = (
    "<h1>This link does not work</h1><p>It has expired, was already used, or was never issued. "
    "Ask for a new one from the sign-in page.</p>"
)


class AccountPagesController(Controller):
    """The pages the links in account emails open (server-rendered; the API has the same actions)."""

    path = "/account"
    include_in_schema = False

    @get("/verify-email")
    @inject
    async def verify_email(self, verify: FromDishka[VerifyEmail], token: str = "") -> Response[str]:
        # Opening the link is the proof: it only says "this mailbox is yours", so a mail
        # scanner that follows it does no harm (unlike a password reset, which asks first).
        try:
            await verify(token)
        except DomainError:
            return page("Email verification", _INVALID_LINK, status=400)
        return page("Email verified", "<h1>Thank you</h1><p>Your email address is verified.</p>")

    @get("/reset-password")
    async def reset_form(self, token: str = "") -> Response[str]:
        return page("Choose a new password", _reset_form(token))

    @post("/reset-password", status_code=200)
    @inject
    async def reset(
        self,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
        confirm: FromDishka[ConfirmPasswordReset],
    ) -> Response[str]:
        token, password = str(data.get("token", "")), str(data.get("password", ""))
        try:
            await confirm(token, password)
        except DomainError as error:
            if getattr(error, "field", None) == "password":
                note = f'<p class="note">{html.escape(error.message)}</p>'
                return page("Choose a new password", note + _reset_form(token), status=422)
            return page("Password reset", _INVALID_LINK, status=400)
        return page(
            "Password changed",
            "<h1>Password changed</h1>"
            "<p>Sign in with your new password; every other session was signed out.</p>",
        )


def _reset_form(token: str) -> str:
    return (
        "<h1>Choose a new password</h1>"
        '<form method="post" action="/account/reset-password">'
        f'<input type="hidden" name="token" value="{html.escape(token, quote=True)}">'
        "<p><label>New password (12 characters or more)<br>"
        '<input type="password" name="password" minlength="12" maxlength="256" required '
        'autocomplete="new-password"></label></p>'
        '<button class="pay" type="submit">Set password</button></form>'
    )
