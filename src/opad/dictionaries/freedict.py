"""FreeDict bilingual dictionaries (Debian `dict-freedict-XXX-YYY`), read from their files.

An entry looks like this (TEI converted by FreeDict's tools; older pairs are plainer):

    Wiese /vˈiːzə/ <fem, n, sg>
     [agr.]  [envir.] grassland <n>, meadowland <n>, meadow <n>
             Note: in compounds
          "auf der Bank sitzen"  - sit on the bench
       Synonyms: {Grünlandfläche}, {Grünland}
     see: {natürliches Grünland}

or, in fra-eng: `aller /ale/ <v>` then `1. fare` / `2. go, ride, travel`. The first line
gives the headword, pronunciation and grammar; translation lines are the lines that are not
notes, examples, synonyms or cross-references. The entries are parsed in `formats.py`
(`parse_freedict_entry`, `freedict_candidate`, `jmdict_candidate`); this module reads the
files.
"""

from __future__ import annotations

from pathlib import Path

from opad.dictionaries.dictd import DictdDatabase, DictdPaths
from opad.dictionaries.entry import Candidate, Entry
from opad.dictionaries.formats import freedict_candidate, jmdict_candidate, parse_freedict_entry

# ISO 639-1 → the ISO 639-3 codes FreeDict names its files with.
ISO3 = {
    "ar": "ara", "bg": "bul", "ca": "cat", "cs": "ces", "da": "dan", "de": "deu",
    "el": "ell", "en": "eng", "es": "spa", "fa": "fas", "fi": "fin", "fr": "fra",
    "he": "heb", "hi": "hin", "hu": "hun", "id": "ind", "is": "isl", "it": "ita",
    "lt": "lit", "lv": "lav", "mk": "mkd", "ms": "msa", "nb": "nob", "nl": "nld",
    "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk", "sl": "slv",
    "sv": "swe", "tr": "tur", "uk": "ukr",
}  # fmt: skip
LANGUAGE_NAMES = {
    "de": "German", "en": "English", "es": "Spanish", "fr": "French", "it": "Italian",
    "ja": "Japanese", "pt": "Portuguese",
}  # fmt: skip
MAX_SENSES = 6


def merge(texts: list[str], source: str) -> Entry | None:
    """One entry from all the entries a dictionary has for a headword."""
    if not texts:
        return None
    parsed = [parse_freedict_entry(t) for t in texts]
    headword = parsed[0][0]
    ipa = next((p[1] for p in parsed if p[1]), None)
    pos = next((p[2] for p in parsed if p[2]), None)
    gender = next((p[3] for p in parsed if p[3]), None)
    senses: list[str] = []
    for p in parsed:
        for sense in p[4]:
            if sense not in senses:
                senses.append(sense)
    if not senses:
        return None
    words: list[str] = []
    for sense in senses:
        for item in sense.split(","):
            item = item.strip()
            if item and item not in words:
                words.append(item)
    return Entry(
        headword=headword,
        meaning=", ".join(words[:8]),
        source=source,
        part_of_speech=pos,
        pronunciation=ipa,
        gender=gender,
        senses=senses[:MAX_SENSES],
    )


class FreeDictSource:
    """Translations from the FreeDict pair `language`→`explain_in` found in the folders."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self._open: dict[str, DictdDatabase | None] = {}

    def database(self, language: str, explain_in: str) -> DictdDatabase | None:
        """The open database for the pair, or None when it is not installed."""
        if language not in ISO3 or explain_in not in ISO3:
            return None
        name = f"freedict-{ISO3[language]}-{ISO3[explain_in]}"
        if name not in self._open:
            paths = next((p for f in self.folders if (p := DictdPaths.find(f, name))), None)
            self._open[name] = DictdDatabase(paths) if paths else None
        return self._open[name]

    def opened(self) -> list[DictdDatabase]:
        """The databases opened so far."""
        return [db for db in self._open.values() if db is not None]

    def pairs(self) -> list[tuple[str, str]]:
        """The installed (language, explain_in) pairs, by ISO 639-1 code."""
        by3 = {v: k for k, v in ISO3.items()}
        found = set()
        for folder in self.folders:
            for index in folder.glob("freedict-*-*.index"):
                _, src, dst = index.name.removesuffix(".index").split("-", 2)
                if src in by3 and dst in by3 and DictdPaths.find(folder, index.stem):
                    found.add((by3[src], by3[dst]))
        return sorted(found)

    def title(self, language: str, explain_in: str) -> str:
        """The name learners see under a meaning: "FreeDict German–English"."""
        names = (LANGUAGE_NAMES.get(language, language), LANGUAGE_NAMES.get(explain_in, explain_in))
        return f"FreeDict {names[0]}–{names[1]}"

    def candidates(self, language: str, explain_in: str, form: str) -> list[Candidate]:
        """Every entry of the pair whose headword is `form` (up to case), parsed."""
        db = self.database(language, explain_in)
        if db is None:
            return []
        parse = jmdict_candidate if language == "ja" else freedict_candidate
        return [c for text in db.define(form) if (c := parse(text)) is not None]

    def lookup(
        self, language: str, explain_in: str, forms: list[str], pos: str = ""
    ) -> Entry | None:
        """The entry for the first of `forms` (lemma first, then the word) the pair has,
        of the part of speech `pos` (UPOS) when the pair has several."""
        from opad.dictionaries.senses import choose, to_entry

        if language == explain_in or self.database(language, explain_in) is None:
            return None
        found = [(form, self.candidates(language, explain_in, form)) for form in forms if form]
        return to_entry(choose(language, found, pos), self.title(language, explain_in), explain_in)
