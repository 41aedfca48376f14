"""Reading what a page shows from its HTML, the way a sighted user reads it."""

from __future__ import annotations

import re
from html import unescape


def error_beside(html: str, field: str) -> str:
    """The error shown beside `field`, without the screen readers' hidden "Error:" (in any language)."""
    found = re.search(rf'<p class="field-error" id="error-{re.escape(field)}"[^>]*>(.*?)</p>', html, re.S)
    assert found, f"no error beside {field}"
    shown = re.sub(r'<span class="visually-hidden">.*?</span>', "", found.group(1), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", shown)).strip()
