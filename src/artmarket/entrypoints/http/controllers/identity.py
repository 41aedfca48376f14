"""Identity routes: /auth/* and /me."""

from __future__ import annotations

from inspect import getdoc
from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from artmarket.application.identity.accounts import UpdateProfile
from artmarket.application.identity.passwords import (
    ChangePassword,
    ConfirmPasswordReset,
    RequestPasswordReset,
)
from artmarket.application.identity.registration import RegisterUser, VerifyEmail
from artmarket.application.identity.sessions import Login, Logout, RefreshSession
from artmarket.application.principal import Principal
from artmarket.domain.errors import InvalidValue
from artmarket.domain.identity import Role
from artmarket.domain.languages import Language
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_login
from artmarket.entrypoints.http.network import ClientAddresses
from artmarket.entrypoints.http.schemas import (
    Accepted,
    Credentials,
    EmailVerification,
    PasswordChange,
    PasswordResetConfirmation,
    PasswordResetRequest,
    ProfileUpdate,
    RefreshRequest,
    Registration,
    TokenPairOut,
    UserOut,
)


class AuthController(Controller):
    path = "/auth"
    tags = ["identity"]

    @post(
        "/register", status_code=HTTP_201_CREATED, operation_id="register", description=getdoc(RegisterUser)
    )
    @inject
    async def register(
        self,
        data: JSONBody[Registration],
        request: Request[Any, Any, Any],
        register: FromDishka[RegisterUser],
        addresses: FromDishka[ClientAddresses],
    ) -> UserOut:
        user = await register(
            email=data.email,
            password=data.password,
            display_name=data.display_name,
            role=Role(data.role),
            client_address=addresses.label(request),
            language=spoken(data.language) or Language.default(),
        )
        return UserOut.of(user)

    @post("/login", status_code=HTTP_200_OK, operation_id="login", description=getdoc(Login))
    @inject
    async def login(
        self,
        data: JSONBody[Credentials],
        request: Request[Any, Any, Any],
        login: FromDishka[Login],
        addresses: FromDishka[ClientAddresses],
    ) -> TokenPairOut:
        # Behind a proxy every request comes from the proxy: count failures per real client.
        address = addresses.of(request)
        pair = await login(email=data.email, password=data.password, client_address=str(address or "unknown"))
        return TokenPairOut.of(pair)

    @post("/refresh", status_code=HTTP_200_OK, operation_id="refresh", description=getdoc(RefreshSession))
    @inject
    async def refresh(
        self, data: JSONBody[RefreshRequest], refresh: FromDishka[RefreshSession]
    ) -> TokenPairOut:
        return TokenPairOut.of(await refresh(data.refresh_token))

    @post(
        "/logout",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="logout",
        guards=[requires_login],
        security=BEARER_SECURITY,
        description=getdoc(Logout),
    )
    @inject
    async def logout(
        self, data: JSONBody[RefreshRequest], principal: FromDishka[Principal], logout: FromDishka[Logout]
    ) -> None:
        await logout(principal, data.refresh_token)

    @post(
        "/verify-email",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="verifyEmail",
        description=getdoc(VerifyEmail),
    )
    @inject
    async def verify_email(self, data: JSONBody[EmailVerification], verify: FromDishka[VerifyEmail]) -> None:
        await verify(data.token)

    @post(
        "/password-reset/request",
        status_code=HTTP_202_ACCEPTED,
        operation_id="requestPasswordReset",
        description=getdoc(RequestPasswordReset),
    )
    @inject
    async def request_password_reset(
        self, data: JSONBody[PasswordResetRequest], request_reset: FromDishka[RequestPasswordReset]
    ) -> Accepted:
        await request_reset(data.email)
        return Accepted(RESET_ANSWER)

    @post(
        "/password-reset/confirm",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="confirmPasswordReset",
        description=getdoc(ConfirmPasswordReset),
    )
    @inject
    async def confirm_password_reset(
        self, data: JSONBody[PasswordResetConfirmation], confirm: FromDishka[ConfirmPasswordReset]
    ) -> None:
        await confirm(data.token, data.password)


def spoken(tag: str | None) -> Language | None:
    """The language a request names exactly (`en`, `fr`); None when it names none; 422 for any other."""
    if tag is None:
        return None
    try:
        return Language(tag)
    except ValueError:
        raise InvalidValue("A language is en (English) or fr (French).", field="language") from None


#: The one answer to a reset request, whether or not the address has an account.
RESET_ANSWER = "If an account uses this email address, a link to reset its password is on its way."


class MeController(Controller):
    path = "/me"
    tags = ["identity"]
    guards = [requires_login]
    security = BEARER_SECURITY

    @get("", operation_id="getMe", summary="The signed-in user")
    @inject
    async def me(self, principal: FromDishka[Principal]) -> UserOut:
        return UserOut.of(principal.user)

    @patch("", operation_id="updateMe", description=getdoc(UpdateProfile))
    @inject
    async def update(
        self,
        data: JSONBody[ProfileUpdate],
        principal: FromDishka[Principal],
        update: FromDishka[UpdateProfile],
    ) -> UserOut:
        language = spoken(data.language)
        return UserOut.of(await update(principal, display_name=data.display_name, language=language))

    @post(
        "/password",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="changePassword",
        description=getdoc(ChangePassword),
    )
    @inject
    async def change_password(
        self,
        data: JSONBody[PasswordChange],
        request: Request[Any, Any, Any],
        principal: FromDishka[Principal],
        change: FromDishka[ChangePassword],
        addresses: FromDishka[ClientAddresses],
    ) -> None:
        await change(
            principal,
            current_password=data.current_password,
            new_password=data.new_password,
            client_address=addresses.label(request),
        )
