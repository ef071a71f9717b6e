"""Is a text at the level asked? The words above it, and the sentences that carry most.

Used on the crew's rewrite (one rewrite request names what to simplify, then the text is
accepted with a warning) and by the quality report. Names (a capitalised word inside a
sentence, except in German) and number words are not counted: a learner reads past them.
"""

from __future__ import annotations

from dataclasses import dataclass

from opad.levels import Level
from opad.text import split_sentences
from opad.text.estimator import LevelEstimator

# A reader follows a text when about 95% of its running words are known (Laufer 1989;
# Laufer & Ravenhorst-Kalovski 2010: 95% "minimal", 98% "optimal" coverage), so at most
# 5% of the words may be above the learner's level.
MAX_SHARE_ABOVE = 0.05
MAX_LISTED_WORDS = 12
MAX_LISTED_SENTENCES = 3


@dataclass(frozen=True)
class LevelCheck:
    """The verdict on one text for one level.

    share_above: fraction (0–1) of counted words above `level`; words: counted words;
    hard_words: distinct words above the level, hardest first (at most 12);
    hard_sentences: the sentences with the most words above the level (at most 3).
    """

    level: Level
    share_above: float
    words: int
    hard_words: tuple[str, ...]
    hard_sentences: tuple[str, ...]

    @property
    def too_hard(self) -> bool:
        """More than 5% of the words are above the level."""
        return self.share_above > MAX_SHARE_ABOVE

    def describe(self) -> str:
        """In the learner's terms: "12% of its words are above B1 (for example: …)"."""
        percent = round(self.share_above * 100)
        examples = ", ".join(self.hard_words[:5])
        return f"{percent}% of its words are above {self.level.value}" + (
            f" (for example: {examples})" if examples else ""
        )


def check_level(estimator: LevelEstimator, text: str, level: Level) -> LevelCheck:
    """Measure `text` (paragraphs separated by blank lines) against `level`."""
    counted = total_above = 0
    above: dict[str, int] = {}  # word -> level rank, first spelling kept
    per_sentence: list[tuple[int, int, str]] = []  # (-hard words, index, sentence)
    for paragraph in text.split("\n\n"):
        for sentence in split_sentences(estimator.code, " ".join(paragraph.split())):
            hard = 0
            for position, info in enumerate(estimator.words(sentence)):
                if info.is_number or _is_name(info.word, position, estimator.code):
                    continue
                counted += 1
                if info.level.rank > level.rank:
                    hard += 1
                    total_above += 1
                    above.setdefault(info.word.lower(), info.level.rank)
            if hard and sentence not in {s for _, _, s in per_sentence}:
                per_sentence.append((-hard, len(per_sentence), sentence))
    share = total_above / counted if counted else 0.0
    hardest = sorted(above, key=lambda w: (-above[w], w))[:MAX_LISTED_WORDS]
    sentences = [s for _, _, s in sorted(per_sentence)[:MAX_LISTED_SENTENCES]]
    return LevelCheck(level, share, counted, tuple(hardest), tuple(sentences))


def _is_name(word: str, position: int, code: str) -> bool:
    # German capitalises every noun, so capitals tell nothing there.
    return position > 0 and word[:1].isupper() and code != "de"
