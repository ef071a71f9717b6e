"""Korean, Japanese and Chinese: words, lemmas, readings, sentences and lengths.

These languages are not written with a space between words, so the Latin-script rules of
`opad.text` cannot split them. Each has a maintained analyzer with its model inside its
wheel (nothing is downloaded at run time), loaded lazily once per process:

- ``ko`` Kiwi (kiwipiepy): morphemes with Sejong tags; 먹었습니다 → 먹다.
- ``ja`` SudachiPy + SudachiDict-core, split mode C: 食べました → 食べる, readings.
- ``zh`` jieba words, pinyin by pypinyin: 图书馆 → tú shū guǎn.

Public shapes (same as `opad.text` where they overlap; spans are offsets into
``normalize(text)`` and ``text[start:end] == word`` always holds):

- ``analyze(code, text) -> list[Morpheme]`` — every morpheme, punctuation included.
- ``tokenize(code, text) -> list[Token]`` — the clickable words (see `opad.text.cjk.units`).
- ``readings(code, text) -> list[tuple[Token, str]]`` — each token with its reading
  (hiragana, pinyin; "" for Korean), for furigana/pinyin shown on demand.
- ``words(code, text)``, ``lemma(code, word)``, ``split_sentences(code, text)``.
- ``count_units(code, text) -> int`` — the length in characters (letters only).
- ``word_facts(code, word) -> WordFacts`` — a token's lemma, the lemma's reading and
  whether it is a word to learn ("content") or a name, number or grammar word.
"""

from __future__ import annotations

from opad.text.cjk.facts import WordFacts, word_facts
from opad.text.cjk.morpheme import Morpheme
from opad.text.cjk.units import (
    CJK_CODES,
    analyze,
    count_units,
    lemma,
    readings,
    split_sentences,
    tokenize,
    words,
)

__all__ = [
    "CJK_CODES",
    "Morpheme",
    "WordFacts",
    "analyze",
    "count_units",
    "lemma",
    "readings",
    "split_sentences",
    "tokenize",
    "word_facts",
    "words",
]
