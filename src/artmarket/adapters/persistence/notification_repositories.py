"""SQLAlchemy repositories of notifications: account tokens and email deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from artmarket.adapters.persistence.errors import translated_errors
from artmarket.adapters.persistence.repositories import constant, newest_first
from artmarket.adapters.persistence.tables.identity import account_tokens
from artmarket.adapters.persistence.tables.notifications import email_deliveries
from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery
from artmarket.domain.identity import AccountToken, AccountTokenPurpose


class SqlAlchemyAccountTokenRepository:
    """Single-use tokens by hash; two transactions spending one token: the second commit gets
    ConcurrentUpdate (optimistic version)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, token: AccountToken) -> None:
        self._session.add(token)

    async def get(self, token_id: UUID) -> AccountToken | None:
        with translated_errors():
            return await self._session.get(AccountToken, token_id)

    async def find_by_hash(self, token_hash: str) -> AccountToken | None:
        query = select(AccountToken).where(account_tokens.c.token_hash == token_hash)
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def live_for_user(
        self, user_id: UUID, purpose: AccountTokenPurpose, now: datetime
    ) -> Sequence[AccountToken]:
        query = (
            select(AccountToken)
            .where(
                account_tokens.c.user_id == user_id,
                account_tokens.c.purpose == purpose,
                account_tokens.c.used_at.is_(None),
                account_tokens.c.expires_at > now,
            )
            .order_by(account_tokens.c.created_at, account_tokens.c.id)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()


class SqlAlchemyEmailDeliveryRepository:
    """Email deliveries, one per Message-ID (a second is refused at commit: ConcurrentUpdate);
    two transactions changing one delivery: the second commit gets ConcurrentUpdate."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, delivery: EmailDelivery) -> None:
        self._session.add(delivery)

    async def get(self, delivery_id: UUID) -> EmailDelivery | None:
        with translated_errors():
            return await self._session.get(EmailDelivery, delivery_id)

    async def get_by_message_id(self, message_id: str) -> EmailDelivery | None:
        query = select(EmailDelivery).where(email_deliveries.c.message_id == message_id)
        with translated_errors():
            return (await self._session.scalars(query)).one_or_none()

    async def due(self, now: datetime, *, limit: int) -> Sequence[EmailDelivery]:
        query = (
            select(EmailDelivery)
            .where(
                email_deliveries.c.status == constant(DeliveryStatus.PENDING.value),
                or_(email_deliveries.c.next_attempt_at.is_(None), email_deliveries.c.next_attempt_at <= now),
                or_(email_deliveries.c.claimed_until.is_(None), email_deliveries.c.claimed_until <= now),
            )
            .order_by(email_deliveries.c.created_at, email_deliveries.c.id)
            .limit(limit)
        )
        with translated_errors():
            return (await self._session.scalars(query)).all()

    async def list(self, *, status: DeliveryStatus | None, limit: int) -> Sequence[EmailDelivery]:
        query = newest_first(EmailDelivery, email_deliveries, limit=limit, status=status)
        with translated_errors():
            return (await self._session.scalars(query)).all()
