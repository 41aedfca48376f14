"""Why a password is guessable and what would help, in the words pages translate.

The strength estimator (zxcvbn) explains itself in a fixed set of English sentences; these
are they, marked for the catalogs, so a French page says them in French. A sentence not
among them (a newer zxcvbn) is replaced by the general one rather than shown untranslated.
"""

from __future__ import annotations

from typing import Final

from artmarket.application.i18n import N_
from artmarket.domain.errors import Phrase

GENERAL_REASON: Final = Phrase(N_("It would be guessed quickly."))
GENERAL_ADVICE: Final = Phrase(N_("Use a few uncommon words together."))

KNOWN: Final = frozenset(
    {
        GENERAL_REASON,
        GENERAL_ADVICE,
        N_("A word by itself is easy to guess."),
        N_("Add another word or two. Uncommon words are better."),
        N_("All-uppercase is almost as easy to guess as all-lowercase."),
        N_("Avoid dates and years that are associated with you."),
        N_("Avoid recent years."),
        N_("Avoid repeated words and characters."),
        N_("Avoid sequences."),
        N_("Avoid years that are associated with you."),
        N_("Capitalization doesn't help very much."),
        N_("Common names and surnames are easy to guess."),
        N_("Dates are often easy to guess."),
        N_("Names and surnames by themselves are easy to guess."),
        N_("No need for symbols, digits, or uppercase letters."),
        N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
        N_("Recent years are easy to guess."),
        N_('Repeats like "aaa" are easy to guess.'),
        N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
        N_("Reversed words aren't much harder to guess."),
        N_('Sequences like "abc" or "6543" are easy to guess.'),
        N_("Short keyboard patterns are easy to guess."),
        N_("Straight rows of keys are easy to guess."),
        N_("This is a top-10 common password."),
        N_("This is a top-100 common password."),
        N_("This is a very common password."),
        N_("This is similar to a commonly used password."),
        N_("Use a few words, avoid common phrases."),
        N_("Use a longer keyboard pattern with more turns."),
    }
)


def phrase(sentence: str, general: Phrase) -> Phrase:
    """`sentence` as a phrase pages translate, or `general` when it is empty or not a known one."""
    return Phrase(sentence) if sentence in KNOWN else general
