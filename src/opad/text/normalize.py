"""One form for every text: Unicode NFC without invisible format characters."""

from __future__ import annotations

import re
import unicodedata

# Soft hyphen, zero-width space, ZWNJ, ZWJ, word joiner, BOM/ZWNBSP: invisible inside a
# word, and pasted or fetched text carries them (hyphenation hints, web typography).
# ZWNJ/ZWJ carry meaning in some scripts (Persian, Indic conjuncts) but never split a word.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def normalize(text: str) -> str:
    """`text` in NFC with invisible format characters removed."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
