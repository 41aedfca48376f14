"""The French catalogs are complete and current, and no page or email template shows English outside gettext."""

from __future__ import annotations

from scripts.translations import problems, untranslated_text

from artmarket.application.i18n import speaking, translations
from artmarket.domain.languages import Language


def test_every_message_of_the_pages_emails_and_errors_has_a_current_french_translation() -> None:
    assert problems() == []


def test_no_template_text_bypasses_gettext() -> None:
    assert untranslated_text() == []


def test_the_checker_sees_text_outside_gettext(tmp_path_factory: object) -> None:
    from scripts import translations as script

    assert script._outside_gettext('<p>{{ _("Buy now") }}</p>') == "<p>0</p>"
    assert "Buy now" in script._outside_gettext("<p>Buy now</p>")


def test_french_is_spoken_where_asked_and_english_elsewhere() -> None:
    with speaking(Language.FRENCH):
        assert translations(Language.FRENCH).gettext("Buy now") != "Buy now"
    assert translations(Language.ENGLISH).gettext("Buy now") == "Buy now"
