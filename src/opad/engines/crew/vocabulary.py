"""The vocabulary guardrail: keep only the LLM's words that are really worth learning."""

from __future__ import annotations

import re

from opad.engines.base import VocabularyItem
from opad.engines.crew.models import VocabularyEntry
from opad.engines.leveling import LevelEstimator, split_sentences
from opad.levels import Level

MAX_VOCABULARY = 25


def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)


def _only_capitalised_midsentence(word: str, sentences: list[str]) -> bool:
    if not word[:1].isupper():
        return False
    for sentence in sentences:
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", sentence):
            if not sentence[: match.start()].strip():
                return False  # it starts a sentence: no sign of a name
    return True


def filter_vocabulary(
    entries: list[VocabularyEntry], body: str, language: str, level: Level
) -> list[VocabularyItem]:
    """Entries whose word occurs in `body`, is at or above `level` by the shared estimator
    and is not a name or a number word; one per lemma, each with an example sentence
    containing it."""
    estimator = LevelEstimator(language)
    sentences = [s for p in body.split("\n\n") for s in split_sentences(p, estimator.code)]
    kept: dict[str, VocabularyItem] = {}
    for entry in entries:
        word = entry.word.strip()
        pattern = _pattern(word)
        if not word or not pattern.search(body):
            continue
        info = estimator.word(word)
        # Number words ("sixty", "seiscientos") are A1 and never worth a list entry, even
        # for an A1 learner.
        if info.level.rank < level.rank or info.is_number:
            continue
        in_text = [s for s in sentences if pattern.search(s)]
        # A capitalised word inside a sentence is most likely a name (German capitalises
        # every noun, so it is exempt).
        if estimator.code != "de" and _only_capitalised_midsentence(word, in_text):
            continue
        claimed = Level(entry.level)
        lemma = entry.lemma.strip() or info.lemma
        example = entry.example.strip()
        if not pattern.search(example):
            example = in_text[0] if in_text else ""
        kept.setdefault(
            lemma.lower(),
            VocabularyItem(
                word=word,
                lemma=lemma,
                # The LLM's level when it agrees the word is not below the learner's.
                level=claimed if claimed.rank >= level.rank else info.level,
                definition=entry.definition.strip(),
                example=example,
            ),
        )
    return list(kept.values())[:MAX_VOCABULARY]
