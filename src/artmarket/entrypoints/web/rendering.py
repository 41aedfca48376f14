"""Templates: the Jinja environment, the context every page gets, and `render`."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine as Engine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from artmarket.application.i18n import current_language, gettext, ngettext
from artmarket.domain.exchange import ReferenceRates
from artmarket.entrypoints.web.countries import country_choices
from artmarket.entrypoints.web.formatting import FILTERS
from artmarket.entrypoints.web.forms import Form
from artmarket.entrypoints.web.sessions import CSRF_FIELD, current_principal, web_state
from artmarket.entrypoints.web.sharing import absolute_url

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_PREFIX = "/static"


def wants_fragment(request: Request[Any, Any, Any]) -> bool:
    """An HTMX (or app.js upload) request: answer with the part of the page it replaces."""
    return bool(request.headers.get("hx-request"))


@cache
def static_url(name: str) -> str:
    """`/static/<name>?v=<content hash>`: files may be cached for a year and still update."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_PREFIX}/{name}?v={digest}"


def environment(
    *, ledger_mirror_url: str | None = None, public_base_url: str = "", fx_rates: ReferenceRates | None = None
) -> Environment:
    """`ledger_mirror_url`: the mirror node the certificate page's independent check asks;
    `public_base_url`: what `absolute_url` puts before a path (canonical and preview URLs);
    `fx_rates`: the reference rates behind "≈ $120" (`ARTMARKET_FX_RATES`)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
        extensions=["jinja2.ext.i18n"],
    )
    # `{% trans %}` and `_()` answer in the language of the request being rendered.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["static_url"] = static_url
    # The page's language (`<html lang>`, the switcher); every page has one, error pages too.
    env.globals["locale"] = lambda: current_language().value
    env.globals["CSRF_FIELD"] = CSRF_FIELD
    env.globals["ledger_mirror_url"] = ledger_mirror_url
    env.globals["absolute_url"] = partial(absolute_url, public_base_url)
    env.globals["fx_rates"] = fx_rates
    # Every country picker lists every country by name (the KYC, profile and address forms).
    env.globals["country_choices"] = country_choices
    env.filters.update(FILTERS)
    return env


def template_config(
    *, ledger_mirror_url: str | None = None, public_base_url: str = "", fx_rates: ReferenceRates | None = None
) -> TemplateConfig[Engine]:
    env = environment(ledger_mirror_url=ledger_mirror_url, public_base_url=public_base_url, fx_rates=fx_rates)
    return TemplateConfig(instance=Engine.from_environment(env))


async def page_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """What the layout needs: who is signed in, the CSRF token, the flash message, the request id."""
    principal = await current_principal(request)
    web = web_state(request)
    return {
        "user": principal.user if principal is not None else None,
        "roles": {role.value for role in principal.user.roles} if principal is not None else set(),
        "csrf_token": web.csrf_token(),
        "flash": web.take_flash(),
        "request_id": request.scope.get("state", {}).get("request_id", ""),
        "path": request.url.path,
        "htmx": wants_fragment(request),
        "now": datetime.now().astimezone(),
    }


async def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    form: Form | None = None,
    headers: dict[str, str] | None = None,
) -> Template:
    """Render `template` with the page context; a `form` is passed as `form` (values and errors)."""
    merged = await page_context(request)
    merged["form"] = form if form is not None else Form()
    merged.update(context or {})
    return Template(
        template_name=template,
        context=merged,
        status_code=status,
        headers={"Cache-Control": "no-store", **(headers or {})},
        media_type="text/html",
    )
