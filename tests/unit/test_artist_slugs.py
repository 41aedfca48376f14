"""The slug rule: ASCII-folded, lower-case, hyphenated, numbered on collision."""

from __future__ import annotations

import pytest

from artmarket.domain.artist_slugs import SLUG_MAX_LENGTH, numbered_slug, slug_base


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ada Obi", "ada-obi"),
        ("Adébáyọ̀ Okafor", "adebayo-okafor"),
        ("  Kwame  M.  ", "kwame-m"),
        ("Zoë & Chloé — Studio", "zoe-chloe-studio"),
        ("O'Neil_2024", "o-neil-2024"),
        ("李白", "artist"),
        ("★", "artist"),
    ],
)
def test_a_slug_is_the_name_folded_to_ascii_words_joined_by_hyphens(name: str, slug: str) -> None:
    assert slug_base(name) == slug


def test_a_long_name_is_cut_without_a_trailing_hyphen() -> None:
    slug = slug_base("word " * 30)
    assert len(slug) <= SLUG_MAX_LENGTH
    assert not slug.endswith("-")


def test_a_taken_slug_is_numbered_from_two_and_stays_within_the_length() -> None:
    assert [numbered_slug("ada-obi", n) for n in (1, 2, 3)] == ["ada-obi", "ada-obi-2", "ada-obi-3"]
    long = "a" * SLUG_MAX_LENGTH
    assert numbered_slug(long, 12) == "a" * (SLUG_MAX_LENGTH - 3) + "-12"
