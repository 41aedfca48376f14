"""The studio's upload limit as each language writes it: `2.5 MB` in English, `2,5 Mo` in French."""

from __future__ import annotations

from artmarket.application.i18n import gettext, speaking
from artmarket.domain.languages import Language
from artmarket.entrypoints.web.routes.artist.studio import IMAGE, megabytes, too_large

MB = 1024 * 1024


def test_sizes_are_written_as_the_page_language_writes_numbers() -> None:
    assert (megabytes(5 * MB // 2), megabytes(25 * MB)) == ("2.5 MB", "25 MB")
    with speaking(Language.FRENCH):
        assert (megabytes(5 * MB // 2), megabytes(25 * MB)) == ("2,5 Mo", "25 Mo")


def test_a_file_over_the_limit_and_a_missing_one_are_told_in_french() -> None:
    with speaking(Language.FRENCH):
        assert too_large(5 * MB // 2) == "Le fichier dépasse 2,5 Mo."
        assert gettext(IMAGE.missing) == "Choisissez l'image à envoyer."
