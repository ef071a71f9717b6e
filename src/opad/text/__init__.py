"""Text processing per language: the one place that normalizes text, splits sentences,
tokenizes words and finds lemmas. Engines, the reader, lookups and the quality report all
use it; nothing else splits words.

Public interface (shapes are stable; the implementation behind them may change):

- ``normalize(text) -> str`` — NFC, invisible format characters (soft hyphen, zero-width
  space/joiners, word joiner) removed, so every later step sees one form of each word.
- ``tokenize(code, text) -> list[Token]`` — every word of ``text`` with its character span
  (offsets into ``normalize(text)``) and lemma; ``code`` is an ISO 639-1 code.
- ``words(code, text) -> list[str]`` and ``count_words(code, text) -> int`` — the words,
  as OPAD counts lengths (numbers and punctuation do not count).
- ``count_units(code, text) -> int`` and ``length_unit(code)`` — a reading's length as
  requested and reported: words, or characters in Korean, Japanese and Chinese.
- ``split_sentences(code, text) -> list[str]`` — the sentences of one paragraph.
- ``lemma(code, word) -> str`` — the dictionary form of one word.

Korean, Japanese and Chinese (written without spaces between words) go through
`opad.text.cjk` (Kiwi, SudachiPy, jieba) behind the same functions.

Heavy libraries (simplemma, segmenters, tokenizers) load lazily, on first use, so the API
can import this module without loading engine dependencies.
"""

from opad.text.normalize import normalize
from opad.text.sentences import split_sentences
from opad.text.tokens import Token, count_units, count_words, lemma, length_unit, tokenize, words

__all__ = [
    "Token",
    "count_units",
    "count_words",
    "length_unit",
    "lemma",
    "normalize",
    "split_sentences",
    "tokenize",
    "words",
]
