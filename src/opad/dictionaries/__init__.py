"""Dictionaries: `Dictionaries.lookup(language, lemma, explain_in, sentence?) → Entry | None`.

Adapters, tried in order (the first that has the word answers):

1. the LLM in context, when one is configured and a sentence is given (a definition of this
   sense, in the explanation language); if it is down the others still answer;
2. an installed FreeDict bilingual dictionary for the pair (language → explanation language);
3. WordNet, for English explained in English.

Dictionaries are dictd files (`*.index` + `*.dict.dz`) read directly from the folders in
OPAD_DICT_DIRS (default /usr/share/dictd); none installed just means no entry. The cache in
the database lives in `opad.services.lookups`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from opad.dictionaries.entry import Entry
from opad.dictionaries.freedict import FreeDictSource
from opad.dictionaries.llm import LLMDefiner, LLMUnavailable
from opad.dictionaries.wordnet import WordNetSource

__all__ = ["Dictionaries", "Entry", "Found", "LLMDefiner", "LLMUnavailable"]

log = logging.getLogger("opad.dictionaries")


@dataclass(frozen=True)
class Found:
    """A lookup's answer: the entry and, for an LLM answer, the sense it names."""

    entry: Entry
    sense: str = ""


class Dictionaries:
    """The installed dictionaries (and the LLM, if any), opened lazily, shared by threads."""

    def __init__(self, folders: list[Path], llm: LLMDefiner | None = None) -> None:
        self.folders = folders
        self.freedict = FreeDictSource(folders)
        self.wordnet = WordNetSource(folders)
        self.llm = llm

    def offline(
        self, language: str, lemma: str, explain_in: str, word: str | None = None
    ) -> Entry | None:
        """The installed dictionaries' entry for `lemma` (then `word`), or None.

        `language` and `explain_in` are ISO 639-1 codes.
        """
        forms = [f for f in dict.fromkeys([lemma, word or lemma, (word or lemma).lower()]) if f]
        return self.freedict.lookup(language, explain_in, forms) or self.wordnet.lookup(
            language, explain_in, forms
        )

    def in_context(
        self, language_name: str, explain_in_name: str, word: str, lemma: str, sentence: str
    ) -> Found | None:
        """The LLM's definition of `word` in `sentence`, or None without an LLM or when it
        fails (logged). Names are English language names ("German")."""
        if self.llm is None or not sentence.strip():
            return None
        try:
            sense, entry = self.llm.define(language_name, explain_in_name, word, lemma, sentence)
        except LLMUnavailable:
            return None
        return Found(entry, sense)

    def close(self) -> None:
        """Close every open dictionary file (a later lookup opens them again)."""
        for db in [*self.freedict.opened(), self.wordnet.db]:
            if db is not None:
                db.close()

    def coverage(self) -> list[dict[str, str]]:
        """Which (language, explain_in) pairs the installed dictionaries cover, and how."""
        pairs = [
            {"language": src, "explain_in": dst, "source": "FreeDict"}
            for src, dst in self.freedict.pairs()
        ]
        if self.wordnet.installed:
            pairs.append({"language": "en", "explain_in": "en", "source": "WordNet 3.0"})
        return pairs
