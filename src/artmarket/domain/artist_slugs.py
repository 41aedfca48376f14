"""An artist's slug: the name in their page's address (`/artists/{slug}`).

Derived once from the display name when the profile is first saved, and kept: a later
rename does not move the page (old addresses would break wherever they were shared).
"""

from __future__ import annotations

import re
import unicodedata

SLUG_MAX_LENGTH = 60
#: When a name has no letter or digit that folds to ASCII ("李白", "★").
FALLBACK_SLUG = "artist"
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def slug_base(display_name: str) -> str:
    """The name ASCII-folded ("Adébáyọ̀" → "adebayo"), lower-cased, words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode("ascii")
    words = _SEPARATORS.sub("-", folded.lower()).strip("-")
    return words[:SLUG_MAX_LENGTH].rstrip("-") or FALLBACK_SLUG


def numbered_slug(base: str, number: int) -> str:
    """The `number`th candidate for `base`: the base itself first, then "base-2", "base-3", …"""
    if number <= 1:
        return base
    suffix = f"-{number}"
    return base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
