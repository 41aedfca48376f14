"""A user's own profile, and operators looking users up."""

from __future__ import annotations

from collections.abc import Sequence

from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import NotAllowed, NotFound
from artmarket.domain.identity import (
    DisplayName,
    Email,
    Role,
    User,
    UserStatus,
)
from artmarket.domain.languages import Language


class UpdateProfile:
    """Change what others see of the caller (the display name) and the language they are addressed in."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, principal: Principal, *, display_name: str | None, language: Language | None = None
    ) -> User:
        async with self._uow as uow:
            user = await uow.users.get(principal.id)
            if user is None:
                raise NotFound()
            if display_name is not None:
                user.rename(DisplayName(display_name))
            if language is not None:
                user.speak(language)
            await uow.commit()
        return user


class ListUsers:
    """Users newest first, optionally filtered by role and status (operators only)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, role: Role | None = None, status: UserStatus | None = None, limit: int = 100
    ) -> Sequence[User]:
        async with self._uow as uow:
            return await uow.users.list(role=role, status=status, limit=limit)


class IdentifyOperator:
    """The administrator an operator names on the CLI (`--operator EMAIL`); anyone else is refused."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, email: str) -> User:
        async with self._uow as uow:
            user = await uow.users.get_by_email(Email(email))
        if user is None or not user.has_role(Role.ADMIN) or not user.is_active:
            raise NotAllowed("{email} is not an active administrator.", email=email)
        return user
