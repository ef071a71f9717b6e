"""One form for every text: Unicode NFC without invisible format characters."""

from __future__ import annotations

import re
import unicodedata

# Soft hyphen, zero-width space, ZWNJ, ZWJ, LRM/RLM, word joiner, BOM/ZWNBSP: invisible
# inside a word, and pasted or fetched text carries them (hyphenation hints, web
# typography, bidi marks). ZWNJ/ZWJ carry meaning in some scripts (Persian, Indic
# conjuncts) but never split a word, and the word reads the same without them.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]")


def normalize(text: str) -> str:
    """`text` in NFC with invisible format characters removed.

    The removal happens on the decomposed (NFD) form and NFC is taken last, so the result
    is the same whatever normalization form the input came in (NFC, NFD or mixed).
    """
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", unicodedata.normalize("NFD", text)))
