"""Post/redirect/get for a form that fails validation.

A failed post does not answer with the page itself (a reload would post again, and the
address bar would show the post's URL): it keeps what was typed (secrets excepted) and the
errors in a short-lived signed cookie and redirects (303) to the form's own page, whose GET
handler takes them back (`recall`) and renders the form with them, with the status the post
would have had (422, 401, ...). The cookie is read once and lives two minutes at most.

Cookies hold about 4 KB: a form too large to keep (a long bio) is answered in place as before
(`remember` returns None), so nothing typed is ever lost; so is a refusal that is not about
what was typed (see `REDIRECTED_STATUSES`).
"""

from __future__ import annotations

import base64
import hmac
import json
import zlib
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Redirect

from artmarket.entrypoints.web.forms import SECRET_FIELDS, Form
from artmarket.entrypoints.web.sessions import web_state

FORM_COOKIE: Final = "artmarket_form"
#: Long enough for the redirect to be followed, short enough not to linger.
MAX_AGE_SECONDS: Final = 120
#: What is typed wrong (422) or not recognised (401, a failed sign-in) comes back by redirect; a
#: refusal of the request itself (429 too many attempts, 409 a conflict) is answered in place.
REDIRECTED_STATUSES: Final = frozenset({401, 422})
#: Browsers keep cookies of up to 4096 bytes, name and attributes included.
MAX_COOKIE_VALUE: Final = 3_500


def remember(
    request: Request[Any, Any, Any], form: Form, page: str, *, name: str = "form"
) -> Redirect | None:
    """Keep `form` for `page` (a path on this site, query allowed) and redirect there; None when
    the form is too large to keep (the caller then renders the page in place). `name` tells apart
    the forms of a page that has several (an artwork's details, its image upload)."""
    if form.status not in REDIRECTED_STATUSES:
        return None
    web = web_state(request)
    payload = {
        "page": urlsplit(page).path,
        "name": name,
        "values": {k: v for k, v in form.values.items() if k not in SECRET_FIELDS},
        "errors": form.errors,
        "error": form.error,
        "status": form.status,
    }
    packed = base64.urlsafe_b64encode(zlib.compress(json.dumps(payload).encode(), 9)).decode().rstrip("=")
    value = f"{packed}.{web.config.sign('form|' + packed)}"
    if len(value) > MAX_COOKIE_VALUE:
        return None
    web.cookie(FORM_COOKIE, value, max_age=MAX_AGE_SECONDS)
    return Redirect(page, status_code=303)


def recall(
    request: Request[Any, Any, Any], *, name: str = "form", defaults: Mapping[str, str] | None = None
) -> Form | None:
    """The failed form `name` kept for this page, once; None when there is none (or another's).
    `defaults` fill the fields the kept form lacks (an upload refused unread keeps no values)."""
    web = web_state(request)
    raw = request.cookies.get(web.config.cookie_name(FORM_COOKIE))
    if not raw or "." not in raw:
        return None
    packed, _, signature = raw.partition(".")
    if not hmac.compare_digest(signature.encode(), web.config.sign("form|" + packed).encode()):
        return None
    try:
        payload = json.loads(zlib.decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))))
    except (ValueError, zlib.error):
        return None
    if not isinstance(payload, dict) or (payload.get("page"), payload.get("name")) != (
        request.url.path,
        name,
    ):
        return None
    web.cookie(FORM_COOKIE, None)
    return Form(
        values={**(defaults or {}), **{str(k): str(v) for k, v in dict(payload.get("values") or {}).items()}},
        errors={str(k): str(v) for k, v in dict(payload.get("errors") or {}).items()},
        error=payload["error"] if isinstance(payload.get("error"), str) else None,
        status=payload["status"] if isinstance(payload.get("status"), int) else 422,
    )
