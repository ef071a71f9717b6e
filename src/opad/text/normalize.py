"""One form for every text: Unicode NFC without invisible format characters.

Which invisible characters go depends on the script around them: ZWNJ and ZWJ are part
of the spelling in Arabic-script languages (Persian دانش‌آموزان, "students", is not
دانشآموزان), in the Indic scripts (conjunct control: क्‍ष) and in emoji sequences, so
they stay next to letters of those scripts and go elsewhere (in Latin text they are
typography left over from the web). Full-width Latin letters and digits (ＡＩ, ５Ｇ, common in
Chinese and Japanese text) are folded to their usual forms, so a reader sees one word,
not a word per letter; full-width punctuation (，。！) is left as written.
"""

from __future__ import annotations

import unicodedata

import regex

# Soft hyphen, zero-width space, LRM/RLM, word joiner, BOM/ZWNBSP: invisible inside a
# word in every script, and pasted or fetched text carries them.
_ALWAYS = regex.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff]")
# Scripts whose spelling uses ZWNJ/ZWJ (Unicode Standard ch. 23.2; Persian orthography).
_JOINING = (
    r"\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Devanagari}"
    r"\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}"
    r"\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}"
    r"\p{Script=Sinhala}\p{Extended_Pictographic}\p{Mn}"
)
# A joiner is removed unless a character of those scripts (or a mark) stands before it.
_JOINER = regex.compile(rf"(?<![{_JOINING}])[\u200c\u200d]")
# Full-width Latin letters and digits: U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A.
_FULL_WIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
               for c in range(r[0], r[1] + 1)}  # fmt: skip


def normalize(text: str) -> str:
    """`text` in NFC, invisible format characters removed where its script does not
    need them, full-width Latin letters and digits folded (one character for one, so
    lengths stay as they were).

    The removal happens on the decomposed (NFD) form and NFC is taken last, so the result
    is the same whatever normalization form the input came in (NFC, NFD or mixed).
    """
    plain = _ALWAYS.sub("", unicodedata.normalize("NFD", text)).translate(_FULL_WIDTH)
    return unicodedata.normalize("NFC", _JOINER.sub("", plain))
