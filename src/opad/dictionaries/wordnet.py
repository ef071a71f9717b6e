"""English definitions from WordNet 3.0 (Debian `dict-wn`), read from its dictd files.

An entry: the headword line, then senses grouped by part of speech:

    bank
        n 1: sloping land (especially the slope beside a body of water);
             "they pulled the canoe up on the bank" ...
        2: a financial institution that accepts deposits ... [syn: {bank}, ...]
        v 1: tip laterally; "the pilot had to bank the aircraft"

We keep each sense's gloss (before the first quoted example and the [syn: ...] list). The
entries are parsed in `formats.py` (`parse_wordnet_entry`, `wordnet_candidates`); this
module reads the files.
"""

from __future__ import annotations

from pathlib import Path

from opad.dictionaries.dictd import DictdDatabase, DictdPaths
from opad.dictionaries.entry import Candidate, Entry
from opad.dictionaries.formats import WORDNET_SENSES, parse_wordnet_entry, wordnet_candidates


class WordNetSource:
    """English → English definitions, when WordNet (`wn.index`) is in one of the folders."""

    def __init__(self, folders: list[Path]) -> None:
        paths = next((p for f in folders if (p := DictdPaths.find(f, "wn"))), None)
        self.db = DictdDatabase(paths) if paths else None

    @property
    def installed(self) -> bool:
        """Whether WordNet was found."""
        return self.db is not None

    def candidates(self, form: str) -> list[Candidate]:
        """One candidate per part of speech of WordNet's entry for `form`."""
        if self.db is None:
            return []
        return [c for text in self.db.define(form) for c in wordnet_candidates(text)]

    def lookup(self, language: str, explain_in: str, forms: list[str]) -> Entry | None:
        """WordNet's senses for the first of `forms` it has (English explained in English)."""
        if self.db is None or language != "en" or explain_in != "en":
            return None
        for form in forms:
            for text in self.db.define(form):
                headword, pos, glosses = parse_wordnet_entry(text)
                if glosses:
                    return Entry(
                        headword=headword or form,
                        meaning=glosses[0],
                        source="WordNet 3.0",
                        part_of_speech=pos,
                        senses=glosses[:WORDNET_SENSES],
                    )
        return None
