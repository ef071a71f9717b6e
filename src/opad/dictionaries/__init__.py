"""Dictionaries: `Dictionaries.offline(language, lemma, explain_in, word, pos) → Entry | None`.

Sources, tried in order (the first that has the word answers):

1. the LLM in context, when one is configured and a sentence is given (a definition of this
   sense, in the explanation language); if it is down the others still answer;
2. the SQLite indexes `opad dictionaries add` built (`opad.dictionaries.index`) for the
   pair (language → explanation language): FreeDict, JMdict, CC-CEDICT, WordNet;
3. dictd files (`*.index` + `*.dict.dz`) of a pair no index covers, read directly from the
   folders in OPAD_DICT_DIRS (Debian's /usr/share/dictd): FreeDict, and WordNet for
   English explained in English.

Among the entries a word reaches, `opad.dictionaries.senses.choose` takes the one of the
word's part of speech in its sentence. None installed just means no entry. The cache in
the database lives in `opad.services.lookups`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from opad.dictionaries.entry import Candidate, Entry
from opad.dictionaries.freedict import FreeDictSource
from opad.dictionaries.index import IndexedDictionary, IndexInfo, find_indexes
from opad.dictionaries.llm import LLMDefiner, LLMUnavailable
from opad.dictionaries.senses import choose, to_entry
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
        self._lock = threading.Lock()
        self._indexes: list[IndexedDictionary] | None = None
        self._seen: tuple[float, ...] = ()

    def _signature(self) -> tuple[float, ...]:
        # A folder's mtime changes when an index is added, replaced or removed (renamed
        # into place): a running API sees `opad dictionaries add` without a restart.
        return tuple(f.stat().st_mtime if f.is_dir() else 0.0 for f in self.folders)

    def indexes(self) -> list[IndexedDictionary]:
        """The SQLite indexes found in the folders (looked for again when one changes)."""
        signature = self._signature()
        with self._lock:
            if self._indexes is None or signature != self._seen:
                for old in self._indexes or []:
                    old.close()
                self._indexes = [IndexedDictionary(i) for i in find_indexes(self.folders)]
                self._seen = signature
            return self._indexes

    def _sources(self, language: str, explain_in: str) -> list[tuple[str, bool, object]]:
        """(title, bilingual, source) for the pair: the indexes first, all as one source
        (their candidates are merged), then dictd files of a dictionary no index has."""
        indexed = [
            ix
            for ix in self.indexes()
            if ix.info.language == language and ix.info.explain_in == explain_in
        ]
        # The pair's own dictionary before lists read backwards or through another language.
        indexed.sort(key=lambda ix: ix.info.source != "freedict")
        sources: list[tuple[str, bool, object]] = []
        if indexed:
            sources.append((indexed[0].info.title, indexed[0].info.bilingual, indexed))
        covered = {ix.info.source for ix in indexed}
        if "freedict" not in covered and self.freedict.database(language, explain_in):
            sources.append((self.freedict.title(language, explain_in), True, self.freedict))
        if "wordnet" not in covered and self.wordnet.installed and language == explain_in == "en":
            sources.append(("WordNet 3.0", False, self.wordnet))
        return sources

    def offline(
        self,
        language: str,
        lemma: str,
        explain_in: str,
        word: str | None = None,
        pos: str = "",
        sentence: str = "",
    ) -> Entry | None:
        """The installed dictionaries' entry for `lemma` (then `word`), or None.

        `language` and `explain_in` are ISO 639-1 codes; `pos` is the word's part of
        speech in its sentence (UPOS: "VERB"), "" when unknown: then `sentence` and the
        word's form say what they can (`opad.dictionaries.context.hint`).
        """
        from opad.dictionaries.context import hint

        surface = (word or "").strip()
        guessed, extra = hint(language, surface or lemma.strip(), lemma.strip(), sentence)
        pos = pos or guessed
        # A word in capitals (a headline's STRASSE) is lemmatized badly: the form first.
        first = [surface] if len(surface) > 1 and surface.isupper() else []
        forms = [f for f in dict.fromkeys([*extra, *first, lemma.strip(), surface]) if f]
        if not forms or language == explain_in != "en":
            return None
        entry = self._lookup(language, forms, explain_in, pos)
        # A name is not the sum of its characters' meanings.
        if entry is None and language in ("zh", "ja") and len(forms[-1]) >= 2 and pos != "PROPN":
            entry = self._in_parts(language, forms[-1], explain_in)
        return entry

    def _lookup(self, language: str, forms: list[str], explain_in: str, pos: str) -> Entry | None:
        for title, bilingual, source in self._sources(language, explain_in):
            found: list[tuple[str, Sequence[Candidate]]] = [
                (form, self._candidates(source, language, explain_in, form)) for form in forms
            ]
            # CC-CEDICT's glosses and JMdict's senses come in order of use already; FreeDict's
            # other pairs are split and ordered arbitrarily (opad.dictionaries.senses).
            ordered = isinstance(source, list) and source[0].info.source == "cedict"
            reorder = not (ordered or language == "ja")
            entry = to_entry(
                choose(language, found, pos),
                title,
                explain_in,
                bilingual=bilingual,
                reorder=reorder,
            )
            if entry is not None:
                return entry
        return None

    def _in_parts(self, language: str, word: str, explain_in: str) -> Entry | None:
        """A Chinese or Japanese compound no dictionary lists (jieba's 工程建设), explained
        by its longest listed parts (工程 + 建设), each with its first sense; None unless
        every character belongs to a listed part and there are two to four parts."""
        parts: list[Entry] = []
        start = 0
        while start < len(word) and len(parts) < 5:
            for end in range(len(word), start, -1):
                piece = word[start:end]
                if piece == word:
                    continue
                entry = self._lookup(language, [piece], explain_in, "")
                if entry is not None:
                    parts.append(entry)
                    start = end
                    break
            else:
                return None
        if not 2 <= len(parts) <= 4:
            return None
        meaning = "; ".join(f"{p.headword}: {p.meaning.split(', ')[0]}" for p in parts)
        return Entry(
            headword=word,
            meaning=meaning,
            source=" and ".join(dict.fromkeys(p.source for p in parts)) + " (in parts)",
            senses=[p.meaning for p in parts],
        )

    @staticmethod
    def _candidates(source: object, language: str, explain_in: str, form: str) -> list[Candidate]:
        if isinstance(source, list):
            merged = len(source) > 1
            return [
                replace(c, source=ix.info.title) if merged else c
                for ix in source
                for c in ix.candidates(form)
            ]
        if isinstance(source, FreeDictSource):
            return source.candidates(language, explain_in, form)
        if isinstance(source, WordNetSource):
            return source.candidates(form)
        return []

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
        for ix in self._indexes or []:
            ix.close()

    def coverage(self) -> list[dict[str, str]]:
        """Which (language, explain_in) pairs the installed dictionaries cover, and how."""
        pairs: dict[tuple[str, str], str] = {}
        for info in (ix.info for ix in self.indexes()):
            pairs.setdefault((info.language, info.explain_in), info.title)
        for src, dst in self.freedict.pairs():
            pairs.setdefault((src, dst), "FreeDict")
        if self.wordnet.installed:
            pairs.setdefault(("en", "en"), "WordNet 3.0")
        return [
            {"language": src, "explain_in": dst, "source": title}
            for (src, dst), title in sorted(pairs.items())
        ]

    def has_pair(self, language: str, explain_in: str) -> bool:
        """Whether any installed dictionary explains `language` words in `explain_in`."""
        return bool(self._sources(language, explain_in))


def index_infos(folders: list[Path]) -> list[IndexInfo]:
    """The indexes in `folders` (for `opad dictionaries list` and the doctor)."""
    return find_indexes(folders)
