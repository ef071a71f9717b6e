"""The quality report's own name check, independent of the engine's.

The engine decides what is a name with opad.text.kinds (spelling, word lists, Faker's
person names). A report that used the same rule could never see its misses, so this check
takes another source and another method:

- **source**: gender-guesser's first-name dictionary (Jörg Michael's `nam_dict`, ~48 000
  first names with their use in 54 countries; GFDL), not Faker's lists;
- **method**: the vocabulary item's own example sentence — a known first name used bare
  (not after an article: "Lea", not "die Rose"), the word right after a known first name
  ("Martina *Brandt*"), the word after a title ("Frau *Lindenau*"), or (languages that do
  not capitalise nouns) a capitalised word inside the sentence.

Its limits: a surname used alone ("Brandt sagt …") is seen only when its example names the
person in full, and a first name that is also a word at a sentence start ("Rose …") is
counted as a name (the report shows each so a reader can judge).
"""

from __future__ import annotations

from functools import lru_cache

import regex

_WORD = regex.compile(r"\p{L}[\p{L}\p{M}'’-]*")
# Articles and determiners, and titles, per language (closed classes; this module's own
# lists, so that a gap in the engine's is not shared).
_ARTICLES: dict[str, frozenset[str]] = {
    code: frozenset(words.split())
    for code, words in {
        "de": "der die das des dem den ein eine einer eines einem einen im am zum zur vom "
        "beim ins kein keine sein seine ihr ihre mein meine unser unsere jeder jede diese dieser",
        "en": "the a an his her their its our my this that",
        "es": "el la los las un una unos unas del al su sus",
        "fr": "le la les un une des du au aux son sa ses",
        "it": "il lo la i gli le un una del della al alla",
        "pt": "o a os as um uma do da no na ao",
        "nl": "de het een",
    }.items()
}
_TITLES = frozenset(
    """mr mrs ms dr prof herr frau monsieur madame mme señor señora sr sra don doña
signor signora senhor senhora""".split()  # noqa: SIM905
)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """Every first name in gender-guesser's dictionary, as written ("Jürgen")."""
    from gender_guesser.detector import Detector  # heavy: parses 48 000 lines

    return frozenset(Detector(case_sensitive=True).names)


@lru_cache(maxsize=64)
def _stops(code: str) -> frozenset[str]:
    """Function words ("In", "Un"): some are also first names in the dictionary."""
    from stop_words import StopWordError, get_stop_words

    try:
        return frozenset(get_stop_words(code))
    except StopWordError:
        return frozenset()


def is_first_name(word: str) -> bool:
    """Whether gender-guesser's dictionary lists `word` as a first name."""
    return word in _first_names()


def name_in_example(code: str, word: str, example: str) -> bool:
    """Whether `word` (a vocabulary item, as written in `example`) is used as a name there,
    by this module's source and method (see the module docstring)."""
    if not word[:1].isupper():
        return False
    tokens = list(_WORD.finditer(example))
    articles = _ARTICLES.get(code, frozenset())
    for at, token in enumerate(tokens):
        if token.group(0) != word:
            continue
        before = tokens[at - 1] if at else None
        previous = before.group(0) if before else ""
        if previous.lower().rstrip(".") in _TITLES:
            return True
        adjacent = before is not None and example[before.end() : token.start()] == " "
        if adjacent and is_first_name(previous) and previous.lower() not in _stops(code):
            return True  # "Martina Brandt"
        if is_first_name(word) and previous.lower() not in articles:
            return True  # "Lea", not "die Rose"
        if (
            code != "de"
            and at > 0
            and not regex.search(r"[.!?:«»\"“„]\s*$", example[: token.start()])
        ):
            return True  # capitalised inside its sentence
    return False
