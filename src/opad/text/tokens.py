"""Words with their spans and lemmas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from opad.text.normalize import normalize

# A word: letters and their combining marks (Devanagari vowel signs, decomposed accents),
# with inner apostrophes or hyphens ("don't", "well-known", "aujourd'hui").
# (`regex` knows Unicode properties; the stdlib `re` does not.)
WORD_RE = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*")


@dataclass(frozen=True)
class Token:
    """One word of a text: `text[start:end] == word` in the normalized text."""

    word: str
    start: int
    end: int
    lemma: str


def tokenize(code: str, text: str) -> list[Token]:
    """Every word of `text` (normalized first) with its span and lemma, in order."""
    norm = normalize(text)
    return [
        Token(m.group(0), m.start(), m.end(), lemma(code, m.group(0)))
        for m in WORD_RE.finditer(norm)
    ]


def words(code: str, text: str) -> list[str]:
    """The words of `text`, normalized, in order."""
    return WORD_RE.findall(normalize(text))


def count_words(code: str, text: str) -> int:
    """Words in `text`, as OPAD counts lengths (numbers and punctuation do not count)."""
    return len(words(code, text))


@lru_cache(maxsize=200_000)
def lemma(code: str, word: str) -> str:
    """The dictionary form of `word` (simplemma; the word itself when unknown)."""
    import simplemma  # heavy: loaded on first use

    return str(simplemma.lemmatize(word.replace("’", "'"), lang=code))
