"""Domain error messages: English for the API and `str()`, the page's language on pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from babel.messages.catalog import Message
from scripts.translations import field_problems, format_fields

from artmarket.application.i18n import LOCALE_DIR, speaking
from artmarket.domain.countries import parse_country
from artmarket.domain.editions import NotYetAvailable
from artmarket.domain.errors import DomainError, InvalidValue, NotFound
from artmarket.domain.languages import Language
from artmarket.entrypoints.web.error_text import error_text

NBSP = "\u00a0"
DROP = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)


def drop_error() -> NotYetAvailable:
    return NotYetAvailable("This work is on sale from {start:%d %b %Y %H:%M} UTC.", start=DROP)


def test_an_error_with_values_keeps_its_english_text_for_the_api() -> None:
    error = drop_error()

    assert str(error) == error.message == "This work is on sale from 24 Dec 2026 18:00 UTC."
    assert error.template == "This work is on sale from {start:%d %b %Y %H:%M} UTC."
    assert error.params == {"start": DROP}


def test_a_page_in_french_shows_the_french_template_filled_with_the_same_values() -> None:
    with speaking(Language.FRENCH):
        assert error_text(drop_error()) == "Cette œuvre sera en vente à partir du 24 déc. 2026 à 18:00 UTC."
        with pytest.raises(InvalidValue) as refused:
            parse_country("XX")
        assert error_text(refused.value) == (
            f"«{NBSP}XX{NBSP}» n'est pas un code pays ISO 3166-1 alpha-2 comme SN."
        )
        assert error_text(NotFound()) == "Introuvable."
    assert str(refused.value) == "'XX' is not an ISO 3166-1 alpha-2 country code such as NG."


def test_a_page_in_english_shows_the_api_text() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_country("XX")

    assert error_text(drop_error()) == drop_error().message
    assert error_text(refused.value) == refused.value.message


def test_a_message_without_values_is_shown_as_written_braces_and_all() -> None:
    error = DomainError('Send `{"a": 1}` as the body.')

    assert str(error) == error_text(error) == 'Send `{"a": 1}` as the body.'


def test_the_catalog_check_refuses_a_translation_with_other_fields() -> None:
    renamed = Message("We do not sell in {currency}.", "Nous ne vendons pas en {devise}.")
    dropped = Message("Cannot combine {one} with {other}.", "Impossible de combiner ces devises.")
    faithful = Message("{code!r} is not a code.", "« {code} » n'est pas un code.")

    assert field_problems(renamed)
    assert field_problems(dropped)
    assert field_problems(faithful) == []
    assert format_fields("On sale from {start:%d %b}.") == {"start"}


def test_every_french_error_template_uses_the_fields_of_its_english_one() -> None:
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "errors.po").open("rb") as po:
        catalog = read_po(po, locale="fr")
    templates = [message for message in catalog if message.id and format_fields(str(message.id))]

    assert len(templates) > 30  # the errors raised with values
    assert [problem for message in templates for problem in field_problems(message)] == []
