"""Rendering emails from Jinja2 templates: an HTML part (autoescaped) and a plain-text part.

Templates live beside this module, three per kind of email: `<kind>.subject.txt`,
`<kind>.txt` and `<kind>.html`. Contexts hold plain strings only; links are absolute,
built from the public base URL, and the one link that needs a token gets it here, at
render time, from the token's id (see `AccountTokenCodec`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from artmarket.application.account_tokens import AccountTokenCodec
from artmarket.application.i18n import gettext, ngettext, speaking
from artmarket.application.notifications.deliveries import EmailKind
from artmarket.application.notifications.ports import single_line
from artmarket.domain.languages import Language

#: The pages the links with a token lead to (server-rendered, outside /api/v1).
ACTION_PATHS = {
    EmailKind.WELCOME_VERIFY: "/account/verify-email",
    EmailKind.VERIFY_EMAIL: "/account/verify-email",
    EmailKind.PASSWORD_RESET: "/account/reset-password",
}
#: The context entry naming the account token whose link the email carries.
TOKEN_ID = "account_token_id"  # noqa: S105 - a context key, not a secret
#: The context entry naming the recipient's language (`User.language`); English without it.
LANGUAGE = "language"


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


class EmailRenderer:
    """Subject, text and HTML of one email from its kind and context; the same input, the same output."""

    def __init__(self, public_base_url: str, codec: AccountTokenCodec) -> None:
        self._base = public_base_url.rstrip("/")
        self._codec = codec
        self._env = Environment(
            loader=PackageLoader("artmarket.application.notifications", "templates"),
            autoescape=select_autoescape(
                enabled_extensions=("html",), default_for_string=False, default=False
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
        )
        self._env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]

    def render(self, kind: EmailKind, context: Mapping[str, str]) -> RenderedEmail:
        values: dict[str, str] = {"site_url": self._base, **context}
        token_id = values.pop(TOKEN_ID, None)
        if token_id is not None:
            token = self._codec.token_for(UUID(token_id))
            values["action_url"] = f"{self._base}{ACTION_PATHS[kind]}?token={token}"
        name = EmailKind(kind).value
        language = Language.of(values.get(LANGUAGE)) or Language.default()
        values[LANGUAGE] = language.value
        with speaking(language):
            return RenderedEmail(
                subject=single_line(self._env.get_template(f"{name}.subject.txt").render(values)),
                text=self._env.get_template(f"{name}.txt").render(values),
                html=self._env.get_template(f"{name}.html").render(values),
            )
