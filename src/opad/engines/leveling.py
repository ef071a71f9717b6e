"""The level estimator: word difficulty from frequency, mapped to CEFR bands.

A word's difficulty is its Zipf frequency (wordfreq: log10 of occurrences per billion
words), taking the more frequent of the form and its lemma (simplemma), so that inflected
forms are not mistaken for rare words. Zipf thresholds per band (see docs/leveling.md):

    A1 ≥ 5.0 · A2 ≥ 4.5 · B1 ≥ 4.0 · B2 ≥ 3.5 · C1 ≥ 3.0 · C2 < 3.0

They come from vocabulary-size estimates per CEFR level (Milton & Alexiou 2009: about
1 500 lemmas at A1 up to ~5 000 at C2, counted in word families) converted to the Zipf value
of the English word at that frequency rank, widened for word forms. The same table serves
every language: it is an estimate, good enough to rank sentences and filter vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import simplemma
import wordfreq

from opad.languages import language_by_name
from opad.levels import LEVEL_ORDER, Level
from opad.text import lemma as text_lemma
from opad.text import words
from opad.text.kinds import abbreviations, is_number_word, names

ZIPF_FLOOR: tuple[tuple[float, Level], ...] = (
    (5.0, Level.A1),
    (4.5, Level.A2),
    (4.0, Level.B1),
    (3.5, Level.B2),
    (3.0, Level.C1),
)


@dataclass(frozen=True)
class WordInfo:
    word: str
    lemma: str
    zipf: float
    level: Level


class LevelEstimator:
    """Estimates the CEFR level of words and sentences in one language."""

    def __init__(self, language: str) -> None:
        self.code = language_by_name(language).code

    @staticmethod
    def level_for_zipf(zipf: float) -> Level:
        """The CEFR band of a Zipf frequency."""
        for floor, level in ZIPF_FLOOR:
            if zipf >= floor:
                return level
        return Level.C2

    def word(self, word: str) -> WordInfo:
        """Level of one word form; its lemma is OPAD's (`opad.text.lemma`: in the word's own
        case, modern spelling), whatever form the level lookup used."""
        info = _word_info(word, self.code)
        return replace(info, lemma=text_lemma(self.code, word))

    def words(self, text: str) -> list[WordInfo]:
        """Level of every word in `text` (as `opad.text.words` splits it), in order."""
        return [self.word(w) for w in words(self.code, text)]

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
        """The band that covers 95% of the words of `text` a learner has to know (a rough
        reading level; names, numbers written as words and abbreviations left out).
        95%: the share of known words a reader needs (Hu & Nation 2000)."""
        skip = names(self.code, text) | abbreviations(self.code, text)
        ranks = sorted(
            self.word(w).level.rank
            for w in words(self.code, text)
            if w not in skip and not is_number_word(self.code, w)
        )
        if not ranks:
            return Level.A1
        return LEVEL_ORDER[ranks[min(len(ranks) - 1, int(len(ranks) * 0.95))]]


@lru_cache(maxsize=200_000)
def _word_info(word: str, code: str) -> WordInfo:
    lower = word.lower().replace("’", "'")
    lemma = simplemma.lemmatize(lower, lang=code)
    zipf = max(wordfreq.zipf_frequency(lower, code), wordfreq.zipf_frequency(lemma, code))
    return WordInfo(word, lemma, zipf, LevelEstimator.level_for_zipf(zipf))
