"""Keys for looking words up: how each language's spellings of one word are made equal.

A learner clicks "STRASSE" in a headline, "Ｔｏｋｙｏ" in full-width letters, or "ECOLE"
(French drops accents on capitals): all must find the dictionary's "Straße", "Tokyo" and
"école". The key is the word after Unicode compatibility folding (NFKC: full-width →
ASCII, ligatures split), full case folding (Unicode's, so ß and SS both give "ss") and,
for alphabetic scripts, with accents removed. Japanese, Chinese and Korean keep their
marks: removing the dakuten of が would make it か.

Keys only gather candidates; `opad.dictionaries.senses` then prefers the entry spelled
exactly as read, then the one equal up to case, then up to accents ("a" over "à").
"""

from __future__ import annotations

import unicodedata

# Scripts where accents and other combining marks are part of the letter and must stay.
KEEP_MARKS = frozenset({"ja", "zh", "ko", "hi", "ar", "fa", "he"})


def fold(language: str, text: str) -> str:
    """The lookup key of `text` in `language` (ISO 639-1): "" for blank text.

    >>> fold("de", "STRASSE") == fold("de", "Straße") == "strasse"
    True
    >>> fold("fr", "ECOLE") == fold("fr", "école")
    True
    """
    key = unicodedata.normalize("NFKC", text).casefold().strip()
    key = " ".join(key.split())
    if language in KEEP_MARKS:
        return key
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closeness(language: str, form: str, headword: str) -> int:
    """How closely `headword` spells `form`: 0 exactly, 1 up to case (and width), 2 up to
    accents too, 3 only through another key of its entry (a kana reading, a variant)."""
    if headword == form:
        return 0
    plain = unicodedata.normalize("NFKC", form).casefold()
    if unicodedata.normalize("NFKC", headword).casefold() == plain:
        return 1
    if fold(language, headword) == fold(language, form):
        return 2
    return 3
