"""msgspec request and response structs of the REST API (HTTP only; use cases never see them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from artmarket.application.identity.sessions import TokenPair
from artmarket.domain.identity import PASSWORD_MAX_LENGTH, User

Password = Annotated[str, msgspec.Meta(max_length=PASSWORD_MAX_LENGTH, description="12 to 256 characters")]
EmailText = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["ada@example.com"])]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
OpaqueToken = Annotated[str, msgspec.Meta(min_length=1, max_length=512)]
#: A language we speak, checked by the controller (422 for any other).
LanguageTag = Annotated[str, msgspec.Meta(max_length=35, description='"en" or "fr"', examples=["fr"])]


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailText
    password: Password
    display_name: Name
    role: Literal["buyer", "artist"]
    #: The language of the account's emails (and signed-in pages); English when left out.
    language: LanguageTag | None = None


class Credentials(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailText
    password: Password


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: OpaqueToken


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Name | None = None
    language: LanguageTag | None = None


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password


class EmailVerification(msgspec.Struct, forbid_unknown_fields=True):
    token: OpaqueToken


class PasswordResetRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: EmailText


class PasswordResetConfirmation(msgspec.Struct, forbid_unknown_fields=True):
    token: OpaqueToken
    password: Password


class Accepted(msgspec.Struct):
    detail: str


class UserOut(msgspec.Struct):
    id: UUID
    email: str
    display_name: str
    roles: list[str]
    status: str
    created_at: datetime
    email_verified: bool
    #: The language of the user's emails and signed-in pages: "en" or "fr".
    language: str

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=str(user.email),
            display_name=str(user.display_name),
            roles=sorted(user.roles),
            status=user.status.value,
            created_at=user.created_at,
            email_verified=user.email_verified,
            language=user.language.value,
        )


class TokenPairOut(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret

    @classmethod
    def of(cls, pair: TokenPair) -> TokenPairOut:
        return cls(pair.access_token, pair.refresh_token, pair.expires_in)


class Health(msgspec.Struct):
    status: str
    checks: dict[str, str] = msgspec.field(default_factory=dict)
