"""Password strength estimated by zxcvbn: dictionaries of common and breached passwords, names,
words, keyboard patterns, dates and repeats, all packaged (no network)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from zxcvbn import zxcvbn

from artmarket.application.identity.password_feedback import GENERAL_ADVICE, GENERAL_REASON, phrase
from artmarket.domain.identity import GuessablePassword

#: zxcvbn's "safely unguessable" score: about 10^8 guesses or more (Dropbox's own minimum).
MIN_SCORE: Final = 3
#: zxcvbn's matching grows faster than linearly with length; a password's first 72 characters
#: (argon2's and bcrypt's usual cap too) already tell whether it is one of the guessable ones.
ESTIMATED_PREFIX: Final = 72


class ZxcvbnPasswordStrength:
    """Refuses passwords zxcvbn scores below `min_score`, with zxcvbn's own reason and hint
    (as phrases pages translate)."""

    def __init__(self, *, min_score: int = MIN_SCORE) -> None:
        self._min_score = min_score

    def check(self, password: str, *, hints: Sequence[str] = ()) -> None:
        estimate = zxcvbn(password[:ESTIMATED_PREFIX], user_inputs=_words_of(hints))
        if estimate["score"] >= self._min_score:
            return
        feedback = estimate["feedback"]
        suggestions = feedback["suggestions"]
        raise GuessablePassword(
            reason=phrase(feedback["warning"], GENERAL_REASON),
            advice=phrase(suggestions[0] if suggestions else "", GENERAL_ADVICE),
        )


def _words_of(hints: Sequence[str]) -> list[str]:
    """Each hint whole and in its parts (`ada.obi@example.com`: ada, obi, example, com), since
    zxcvbn matches its user inputs as whole dictionary words."""
    words = {hint.lower() for hint in hints if hint}
    words |= {part for hint in words for part in re.split(r"[^0-9a-z]+", hint) if len(part) >= 3}
    return sorted(words)
