"""User moderation: browsing accounts, suspending and reinstating them; audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.cursor import CursorCodec
from artmarket.application.pages import Page, decode_position, page_of
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import reason_text
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import NotFound
from artmarket.domain.identity import Role, User, UserStatus, check_not_self_suspension
from artmarket.domain.text import check_text

USERS_LISTING: Final = "admin-users"


@dataclass(frozen=True, slots=True)
class UserFilter:
    role: Role | None = None
    status: UserStatus | None = None
    q: str | None = None

    def __post_init__(self) -> None:
        if self.q is not None:
            check_text(self.q, field="q")  # as in `OrderFilter`


class BrowseUsers:
    """Users newest first, by role and status, searched by email or display name; signed cursors."""

    def __init__(self, uow: UnitOfWork, cursors: CursorCodec) -> None:
        self._uow = uow
        self._cursors = cursors

    async def __call__(self, where: UserFilter, *, cursor: str | None, limit: int) -> Page[User]:
        before = decode_position(self._cursors, cursor, USERS_LISTING)
        async with self._uow as uow:
            found = await uow.users.list(
                role=where.role, status=where.status, q=where.q, before=before, limit=limit + 1
            )
        return page_of(found, limit, self._cursors, USERS_LISTING, lambda row: (row.created_at, row.id))


class SuspendUser:
    """An admin suspends an account with a reason.

    Rules: the user can no longer sign in, and every session is revoked; an artist's
    works disappear from the gallery, the artist directory and their pages, and new orders
    on them are refused (404); reservations already made are honoured (the buyer may still
    pay and the sale completes); admins cannot suspend themselves.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, user_id: UUID, *, reason: str) -> User:
        reason = reason_text(reason)
        check_not_self_suspension(user_id, actor.user_id)
        async with self._steps.begin(
            actor, AuditAction.USER_SUSPEND, ("user", user_id), reason=reason
        ) as step:
            user = await step.uow.users.get(user_id)
            if user is None:
                raise NotFound("No such user.")
            user.suspend(reason)
            for family in await step.uow.token_families.list_live_for_user(user.id):
                family.revoke("account suspended", step.now)
            if user.has_role(Role.ARTIST):
                await step.uow.artworks.mark_artist_suspended(user.id, True)
            await step.commit()
        return user


class ReinstateUser:
    """An admin lifts a suspension with a reason; an artist's works are shown again as they were."""

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, user_id: UUID, *, reason: str) -> User:
        reason = reason_text(reason)
        async with self._steps.begin(
            actor, AuditAction.USER_REINSTATE, ("user", user_id), reason=reason
        ) as step:
            user = await step.uow.users.get(user_id)
            if user is None:
                raise NotFound("No such user.")
            user.reinstate(reason)
            if user.has_role(Role.ARTIST):
                await step.uow.artworks.mark_artist_suspended(user.id, False)
            await step.commit()
        return user
