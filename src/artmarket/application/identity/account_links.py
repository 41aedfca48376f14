"""Single-use account links (verify an address, reset a password): the token, its email and
its redemption."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.application.account_tokens import (
    AccountTokenCodec,
)
from artmarket.application.messages import Message
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import IdGenerator
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.identity import (
    AccountToken,
    AccountTokenInvalid,
    AccountTokenPurpose,
    User,
)


def send_account_link(
    uow: UnitOfWork,
    codec: AccountTokenCodec,
    ids: IdGenerator,
    *,
    user: User,
    purpose: AccountTokenPurpose,
    ttl: timedelta,
    message: Callable[[UUID], Message],
    now: datetime,
) -> None:
    """Store a new single-use token (its hash only) for `user` and the outbox message that
    emails its link; `message` makes that message from the token id. The caller commits."""
    token_id = ids.new_id()
    uow.account_tokens.add(
        AccountToken.issue(
            id=token_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=codec.hash_of_id(token_id),
            now=now,
            ttl=ttl,
        )
    )
    uow.outbox.add(OutboxMessage.of(message(token_id), ids.new_id(), now))


async def redeem_account_link(
    uow: UnitOfWork, token: str, purpose: AccountTokenPurpose, now: datetime
) -> User:
    """Use up the single-use token of a link sent for `purpose` and return its user.

    Raises AccountTokenInvalid when no such token exists, its user is gone, or the token
    is for another purpose, expired or already used. The caller commits."""
    found = await uow.account_tokens.find_by_hash(AccountTokenCodec.hash(token))
    if found is None:
        raise AccountTokenInvalid()
    found.use(purpose, now)
    user = await uow.users.get(found.user_id)
    if user is None:
        raise AccountTokenInvalid()
    return user
