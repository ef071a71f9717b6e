"""What a lookup answers: one entry, whatever source it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entry:
    """A dictionary entry for one word, in the learner's explanation language.

    `meaning` is one short line a learner reads at a glance (translations joined by
    commas, or a definition); `senses` keeps the separate senses, at most a few; `source`
    names the dictionary ("FreeDict German-English", "WordNet 3.0", "LLM in context").
    """

    headword: str
    meaning: str
    source: str
    part_of_speech: str | None = None
    pronunciation: str | None = None
    gender: str | None = None
    senses: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (stored in the lookup cache and sent by the API)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """The inverse of `to_dict`; unknown keys are ignored (older cache rows)."""
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["senses"] = list(known.get("senses") or [])
        return cls(**known)


# FreeDict and WordNet abbreviations, spelled out for learners.
PART_OF_SPEECH = {
    "n": "noun",
    "v": "verb",
    "vi": "verb",
    "vt": "verb",
    "adj": "adjective",
    "a": "adjective",
    "s": "adjective",
    "adv": "adverb",
    "r": "adverb",
    "prep": "preposition",
    "pron": "pronoun",
    "conj": "conjunction",
    "interj": "interjection",
    "art": "article",
    "num": "number",
    "abbr": "abbreviation",
}
GENDER = {"masc": "masculine", "fem": "feminine", "neut": "neuter"}


@dataclass(frozen=True)
class Candidate:
    """One dictionary entry as parsed, before choosing: a lookup gathers every candidate
    its keys reach and `opad.dictionaries.senses.choose` picks among them.

    `senses` are the entry's translation lines (or definitions), in the dictionary's
    order; `rank` orders entries within one dictionary, lower first (JMdict's frequency
    marks, CC-CEDICT's proper names and variants last; 0 when the dictionary says
    nothing); `form` is the key's spelling that reached it (the kana reading of a
    Japanese entry, the traditional form of a Chinese one); `source` the dictionary.
    """

    headword: str
    senses: tuple[str, ...]
    part_of_speech: str | None = None
    gender: str | None = None
    pronunciation: str | None = None
    rank: int = 0
    form: str = ""
    source: str = ""  # the dictionary's title, set when candidates of several are merged
    # How common each sense's first translation is in the explanation language (wordfreq's
    # Zipf scale), worked out when the index is built; () when not known.
    weights: tuple[float, ...] = ()


# The reading's analysis tags words with Universal Dependencies parts of speech (UPOS);
# dictionaries name them in words. DET is often an article or a pronoun in dictionaries.
UPOS_NAMES: dict[str, frozenset[str]] = {
    "NOUN": frozenset({"noun"}),
    "PROPN": frozenset({"noun"}),
    "VERB": frozenset({"verb"}),
    "AUX": frozenset({"verb"}),
    "ADJ": frozenset({"adjective"}),
    "ADV": frozenset({"adverb"}),
    "PRON": frozenset({"pronoun"}),
    "DET": frozenset({"article", "pronoun", "adjective"}),
    # Japanese particles (に, と, よ) are adpositions in UD: without "particle" here, に
    # met JMdict's particle as a contradiction and read "two" (二, read に, names none).
    "ADP": frozenset({"preposition", "particle"}),
    "PART": frozenset({"particle", "prefix", "suffix"}),
    "CCONJ": frozenset({"conjunction"}),
    "SCONJ": frozenset({"conjunction"}),
    "INTJ": frozenset({"interjection"}),
    "NUM": frozenset({"number", "noun"}),
    # Not UPOS: what `opad.dictionaries.context.hint` says after an article ("the open door").
    "NOMINAL": frozenset({"noun", "adjective"}),
}


# The projects a source line can name, as a learner sees them (JMdict's title also names
# FreeDict, which only packages it: JMdict alone is said).
_PROJECTS = ("JMdict", "FreeDict", "WordNet", "CC-CEDICT")


def source_label(source: str, language: str, explain_in: str) -> str:
    """The popover's short line for where a meaning comes from, in a learner's terms:
    "Dictionary: FreeDict (Spanish–English)" however many FreeDict files were chained or
    reversed to find it ("FreeDict Spanish–German through German–English and FreeDict
    German–Spanish reversed, through German–English"); "Dictionaries: FreeDict and
    WordNet (English)"; "Meaning for this sentence: an AI model". `language` and
    `explain_in` are the English names of the word's and the meaning's languages.
    """
    if not source:
        return ""
    if "LLM" in source:
        return "Meaning for this sentence: an AI model"
    named = [p for p in _PROJECTS if p.casefold() in source.casefold()]
    if "FreeDict" in named and 0 < source.count("FreeDict") <= source.count("JMdict"):
        named.remove("FreeDict")  # only "JMdict (FreeDict Japanese–English)"
    if not named:
        return f"Dictionary: {source}"
    pair = language if language == explain_in or not explain_in else f"{language}–{explain_in}"
    head = "Dictionaries" if len(named) > 1 else "Dictionary"
    parts = ", from its parts" if "(in parts)" in source else ""
    return f"{head}: {' and '.join(named)} ({pair}){parts}"
