"""The languages the marketplace speaks: pages and emails in English or French."""

from __future__ import annotations

import enum


class Language(enum.StrEnum):
    """A language pages and emails are shown in (francophone West Africa is Paystack territory)."""

    ENGLISH = "en"
    FRENCH = "fr"

    @classmethod
    def default(cls) -> Language:
        return cls.ENGLISH

    @classmethod
    def of(cls, tag: str | None) -> Language | None:
        """The language a tag names (`fr`, `fr-SN`, `FR_ci`), or None for one we do not speak."""
        if not tag:
            return None
        primary = tag.strip().replace("_", "-").split("-", 1)[0].lower()
        try:
            return cls(primary)
        except ValueError:
            return None
