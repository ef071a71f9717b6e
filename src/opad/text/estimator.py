"""The level estimator: CEFR levels of words and sentences, for choosing and checking text.

A word's level comes from opad.text.levels (per language: the English learner list, else
the frequency rank of the word's lemma, calibrated on that list; see docs/leveling.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from opad.languages import language_by_name
from opad.levels import LEVEL_ORDER, Level
from opad.text import lemma as text_lemma
from opad.text import words
from opad.text.kinds import abbreviations, is_number_word, names
from opad.text.levels import WordLevel, word_level


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
        """Level of one word form; its lemma is OPAD's (`opad.text.lemma`: in the word's own
        case, modern spelling), whatever form the level lookup used."""
        info = _word_info(word, self.code)
        return replace(info, lemma=text_lemma(self.code, word))

    def reading(self, word: str) -> str:
        """How the lemma of `word` is read, for Korean (romanized), Japanese (hiragana)
        and Chinese (pinyin); "" in other languages."""
        if self.code not in ("ko", "ja", "zh"):
            return ""
        from opad.text.cjk import word_facts

        return word_facts(self.code, word).reading

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


def lemma_zipf(estimator: LevelEstimator, info: WordInfo, lemma: str) -> float:
    """The Zipf frequency the popover's frequency label shows for the word `info` is
    about: the higher of the form's and its dictionary forms' (OPAD's and the reader's
    `lemma`). The level is the lemma's; a frequency counted on the inflected form alone
    called words of that level rare ("ocuparan A1 · rare word": ocupar is common)."""
    lemmas = {info.lemma, lemma} - {"", info.word}
    return max([info.zipf, *(estimator.word(other).zipf for other in lemmas)])


@lru_cache(maxsize=200_000)
def _word_info(word: str, code: str) -> WordInfo:
    base = text_lemma(code, word)
    detail = word_level(code, word, base)
    return WordInfo(word, base, detail.zipf, detail.level, detail)
