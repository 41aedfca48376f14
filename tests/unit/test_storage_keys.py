"""Storage keys: relative paths that cannot leave their tree, whatever characters they hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artmarket.application.media import InvalidStorageKey, check_key


def is_safe(key: str) -> bool:
    """The rule spelled out segment by segment (the implementation is one regex)."""
    return bool(key) and all(
        segment not in ("", ".", "..")
        and "\\" not in segment
        and not any(ord(character) < 0x20 or ord(character) == 0x7F for character in segment)
        for segment in key.split("/")
    )


@given(
    st.text(alphabet=st.sampled_from(["a", "Z", "0", ".", "/", "\\", "\x00", "\n", "\x7f", "-", "é", " "]))
)
def test_a_key_is_accepted_exactly_when_every_segment_is_a_plain_name(key: str) -> None:
    if is_safe(key):
        assert check_key(key) == key
    else:
        with pytest.raises(InvalidStorageKey):
            check_key(key)


@pytest.mark.parametrize(
    "key", ["artworks/1/2-display.jpg", "a", ".hidden/x", "a/..b/c", "a/b..", "ü/é.webp"]
)
def test_ordinary_keys_pass(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    "key", ["", "/etc/passwd", "a/../b", "..", "./a", "a/", "a//b", "a\\b", "a\nb", "a/."]
)
def test_keys_that_could_escape_or_confuse_are_refused(key: str) -> None:
    with pytest.raises(InvalidStorageKey):
        check_key(key)
