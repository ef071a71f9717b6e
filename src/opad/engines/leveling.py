"""The level estimator: CEFR levels of words and sentences, for choosing and checking text.

A word's level comes from opad.text.levels (per language: the English learner list, else
the frequency rank of the word's lemma, calibrated on that list; see docs/leveling.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from opad.languages import language_by_name
from opad.levels import LEVEL_ORDER, Level
from opad.text import lemma
from opad.text.levels import WordLevel, word_level

# Letters with inner apostrophes or hyphens: "don't", "well-known", "aujourd'hui".
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ABBREV_RE = re.compile(r"^(?:\w{1,3}\.)+$")


def count_words(text: str) -> int:
    """Words in `text`, as OPAD counts lengths (numbers and punctuation do not count)."""
    return len(WORD_RE.findall(text))


def split_sentences(text: str, code: str) -> list[str]:
    """Sentences of a paragraph, keeping abbreviations such as "Dr." with what follows."""
    parts = [p.strip() for p in simplemma.split_sentences(text) if p.strip()]
    merged: list[str] = []
    carry = ""
    for part in parts:
        if _ABBREV_RE.match(part):
            carry = f"{carry}{part} "
            continue
        merged.append(carry + part)
        carry = ""
    if carry:
        merged.append(carry.strip())
    return merged


@dataclass(frozen=True)
class WordInfo:
    """One word with its lemma and level (`detail`: how the level was found)."""

    word: str
    lemma: str
    zipf: float
    level: Level
    detail: WordLevel

    @property
    def is_number(self) -> bool:
        """A number word ("thirty"): never vocabulary to learn."""
        return self.detail.is_number


class LevelEstimator:
    """Estimates the CEFR level of words and sentences in one language."""

    def __init__(self, language: str) -> None:
        self.code = language_by_name(language).code

    def word(self, word: str) -> WordInfo:
        """Level of one word form."""
        return _word_info(word, self.code)

    def words(self, text: str) -> list[WordInfo]:
        """Level of every word in `text`, in order."""
        return [self.word(w) for w in WORD_RE.findall(text)]

    def sentence_difficulty(self, sentence: str, level: Level) -> float:
        """A score to rank sentences for a learner at `level`; lower suits them better.

        Words above the level weigh most. Then beginners get the plainest, shortest
        sentences, while advanced learners get the richer ones rather than the simplest.
        """
        infos = self.words(sentence)
        if not infos:
            return 0.0
        above = sum(1 for i in infos if i.level.rank > level.rank) / len(infos)
        mean_rank = sum(i.level.rank for i in infos) / len(infos)
        richness_weight = (2.5 - level.rank) / 2.5  # +1 at A1 … -1 at C2
        length_weight = max(0.0, (2.5 - level.rank) / 2.5)
        return above * 3 + richness_weight * mean_rank / 5 + length_weight * len(infos) / 25

    def text_level(self, text: str) -> Level:
        """The band that covers 95% of the words of `text` (a rough reading level)."""
        ranks = sorted(i.level.rank for i in self.words(text))
        if not ranks:
            return Level.A1
        return LEVEL_ORDER[ranks[min(len(ranks) - 1, int(len(ranks) * 0.95))]]


@lru_cache(maxsize=200_000)
def _word_info(word: str, code: str) -> WordInfo:
    base = lemma(code, word)
    detail = word_level(code, word, base)
    return WordInfo(word, base, detail.zipf, detail.level, detail)
