"""The authenticated caller of one request, as every feature sees it."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from artmarket.domain.identity import Role, User


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of one request."""

    user: User
    family_id: UUID

    @property
    def id(self) -> UUID:
        return self.user.id

    def has_role(self, role: Role) -> bool:
        return self.user.has_role(role)
