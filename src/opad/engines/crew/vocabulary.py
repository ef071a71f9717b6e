"""The vocabulary guardrail: keep only the LLM's words that are really worth learning."""

from __future__ import annotations

import re

from opad.engines.base import VocabularyItem
from opad.engines.crew.models import VocabularyEntry
from opad.levels import Level
from opad.text import split_sentences, words
from opad.text.estimator import LevelEstimator
from opad.text.kinds import abbreviations, can_be_vocabulary, is_number_word, names

MAX_VOCABULARY = 25


def _pattern(word: str, code: str) -> re.Pattern[str]:
    if code in ("ko", "ja", "zh"):
        # No spaces between words: the word is checked against the text's own tokens
        # (below), here only found in a sentence.
        return re.compile(re.escape(word))
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.I)


def filter_vocabulary(
    entries: list[VocabularyEntry], body: str, language: str, level: Level
) -> list[VocabularyItem]:
    """Entries whose word occurs in `body`, is at or above `level` by the shared estimator
    and is not a name, number word or abbreviation; one per lemma, each with an example
    sentence containing it."""
    estimator = LevelEstimator(language)
    code = estimator.code
    sentences = [s for p in body.split("\n\n") for s in split_sentences(code, p)]
    never = names(code, body) | abbreviations(code, body)
    # Korean, Japanese, Chinese: a word counts only as the analyzer cut the text (the LLM's
    # 図書 inside 図書館 is not a word of the text), and only a content word (never a
    # particle or ending).
    tokens = set(words(code, body)) if code in ("ko", "ja", "zh") else None
    kept: dict[str, VocabularyItem] = {}
    for entry in entries:
        word = entry.word.strip()
        pattern = _pattern(word, code)
        if not word or not pattern.search(body):
            continue
        if tokens is not None and (word not in tokens or not can_be_vocabulary(code, word)):
            continue
        info = estimator.word(word)
        # Number words ("sixty", "seiscientos") are A1 and never worth a list entry, even
        # for an A1 learner.
        if info.level.rank < level.rank or info.is_number:
            continue
        in_text = [s for s in sentences if pattern.search(s)]
        if word in never or is_number_word(code, word):
            continue
        claimed = Level(entry.level)
        # Our analyzer's dictionary form in ko/ja/zh (the LLM's may keep an ending).
        lemma = info.lemma if tokens is not None else entry.lemma.strip() or info.lemma
        example = entry.example.strip()
        if not pattern.search(example):
            example = in_text[0] if in_text else ""
        kept.setdefault(
            lemma.lower(),
            VocabularyItem(
                word=word,
                lemma=lemma,
                reading=estimator.reading(word),
                # The LLM's level when it agrees the word is not below the learner's.
                level=claimed if claimed.rank >= level.rank else info.level,
                definition=entry.definition.strip(),
                example=example,
            ),
        )
    return list(kept.values())[:MAX_VOCABULARY]
