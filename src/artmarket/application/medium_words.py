"""The word for each medium, shared by the pages' `label` filter and the certificate (page and PDF)."""

from __future__ import annotations

from typing import Final

from artmarket.application.i18n import N_, gettext

MEDIUM_WORDS: Final[dict[str, str]] = {
    "painting": N_("Painting"),
    "drawing": N_("Drawing"),
    "photography": N_("Photography"),
    "sculpture": N_("Sculpture"),
    "digital": N_("Digital"),
    "print": N_("Print"),
    "mixed_media": N_("Mixed media"),
    "textile": N_("Textile"),
    "other": N_("Other"),
}


def medium_word(medium: str) -> str:
    """`mixed_media` → `Mixed media` (`Technique mixte` in French), in the language being spoken."""
    english = MEDIUM_WORDS.get(medium)
    return gettext(english) if english else medium.replace("_", " ").capitalize()
