"""The French catalogs are complete and current; no page or email template shows English outside gettext."""

from __future__ import annotations

from scripts.translations import outside_gettext, problems, untranslated_text

from artmarket.application.i18n import speaking, translations
from artmarket.domain.languages import Language


def test_every_message_of_the_pages_emails_and_errors_has_a_current_french_translation() -> None:
    assert problems() == []


def test_no_template_text_bypasses_gettext() -> None:
    assert untranslated_text() == []


def test_the_checker_sees_text_outside_gettext() -> None:
    assert outside_gettext('<p>{{ _("Buy now") }}</p>') == "<p>0</p>"
    assert "Buy now" in outside_gettext("<p>Buy now</p>")


def test_french_is_spoken_where_asked_and_english_elsewhere() -> None:
    with speaking(Language.FRENCH):
        assert translations(Language.FRENCH).gettext("Buy now") != "Buy now"
    assert translations(Language.ENGLISH).gettext("Buy now") == "Buy now"
