"""The language switcher: a choice remembered by the browser and, signed in, by the account."""

from __future__ import annotations

from typing import Any

from dishka.integrations.litestar import FromDishka, inject
from litestar import Request, post
from litestar.response import Redirect

from artmarket.application.identity.accounts import UpdateProfile
from artmarket.domain.languages import Language
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.sessions import (
    LANGUAGE_COOKIE,
    LANGUAGE_MAX_AGE,
    current_principal,
    safe_next,
    web_state,
)


@post("/language", name="choose-language", status_code=303)
@inject
async def choose_language(
    request: Request[Any, Any, Any], update_profile: FromDishka[UpdateProfile]
) -> Redirect:
    """Pages (and, for a signed-in user, emails) in the chosen language; back to the same page."""
    form = await Form.read(request)
    language = Language.of(form.values.get("language")) or Language.default()
    web_state(request).cookie(LANGUAGE_COOKIE, language.value, max_age=LANGUAGE_MAX_AGE)
    principal = await current_principal(request)
    if principal is not None:
        await update_profile(principal, display_name=None, language=language)
    return Redirect(safe_next(form.values.get("next")), status_code=303)


ROUTES = [choose_language]
