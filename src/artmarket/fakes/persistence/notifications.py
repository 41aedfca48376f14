"""In-memory repositories of account tokens and email deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from artmarket.application.notifications.deliveries import DeliveryStatus, EmailDelivery
from artmarket.domain.identity import (
    AccountToken,
    AccountTokenPurpose,
)
from artmarket.fakes.persistence.database import (
    Workspace,
    newest_first,
)


class InMemoryAccountTokenRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, token: AccountToken) -> None:
        self._work.account_tokens.add(token.id, token)

    async def get(self, token_id: UUID) -> AccountToken | None:
        return self._work.account_tokens.get(token_id)

    async def find_by_hash(self, token_hash: str) -> AccountToken | None:
        found = self._work.account_tokens.select(lambda token: token.token_hash == token_hash)
        return next(iter(found), None)

    async def live_for_user(
        self, user_id: UUID, purpose: AccountTokenPurpose, now: datetime
    ) -> Sequence[AccountToken]:
        found = self._work.account_tokens.select(
            lambda token: token.user_id == user_id and token.purpose is purpose and token.is_live(now)
        )
        return sorted(found, key=lambda token: (token.created_at, token.id))


class InMemoryEmailDeliveryRepository:
    def __init__(self, work: Workspace) -> None:
        self._work = work

    def add(self, delivery: EmailDelivery) -> None:
        self._work.email_deliveries.add(delivery.id, delivery)

    async def get(self, delivery_id: UUID) -> EmailDelivery | None:
        return self._work.email_deliveries.get(delivery_id)

    async def get_by_message_id(self, message_id: str) -> EmailDelivery | None:
        found = self._work.email_deliveries.select(lambda delivery: delivery.message_id == message_id)
        return next(iter(found), None)

    async def due(self, now: datetime, *, limit: int) -> Sequence[EmailDelivery]:
        found = self._work.email_deliveries.select(lambda delivery: delivery.is_due(now))
        return sorted(found, key=lambda delivery: (delivery.created_at, delivery.id))[:limit]

    async def list(self, *, status: DeliveryStatus | None, limit: int) -> Sequence[EmailDelivery]:
        found = self._work.email_deliveries.select(lambda d: status is None or d.status == status)
        return newest_first(found, "created_at", "id")[:limit]
