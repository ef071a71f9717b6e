"""The CEFR level of one word, per language (see docs/leveling.md for the method).

- English: the learner word list of the ``cefrpy`` package (CEFR-J / English Vocabulary
  Profile levels, extended by its author to 170 000 words), looked up by lemma, then form.
- Every language (and English words the list lacks): the frequency rank of the word's
  lemma among that language's lemmas (wordfreq's word list, forms summed per simplemma
  lemma), cut at the vocabulary size a learner has at each level. The sizes
  (``VOCABULARY_SIZE``) are calibrated on the English list: the number of English lemmas
  the list puts at or below each level (``python -m opad.quality.calibrate`` recomputes
  them). So "the 1 800 most common lemmas are A1" holds in every language alike.
- Number words ("thirty", "seiscientos", "dreißig") are A1 — numbers are taught first —
  and flagged, so that vocabulary lists can leave them out.

Heavy data (cefrpy's database, wordfreq and simplemma lists) load lazily, once per process
and language (a language's lemma ranks take about 2–8 s to build, once per worker).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from opad.levels import LEVEL_ORDER, Level

# Lemmas known at each level: English lemmas (among the 50 000 most frequent English word
# forms, lemmatized) that cefrpy puts at or below the level. Source: opad.quality.calibrate,
# cefrpy 1.0.3, wordfreq 3.1.1 ("best" list), simplemma 2.0.0. C2 has no upper bound.
VOCABULARY_SIZE: dict[Level, int] = {
    Level.A1: 1817,
    Level.A2: 4293,
    Level.B1: 7622,
    Level.B2: 11608,
    Level.C1: 13567,
}
RANKED_FORMS = 50_000  # word forms per language read from wordfreq to rank lemmas


@dataclass(frozen=True)
class WordLevel:
    """How hard one word is.

    zipf: wordfreq Zipf frequency of the form (log10 per billion words; 0 if unknown).
    rank: frequency rank of its lemma in the language (1 = most frequent), None when the
        lemma is not among the lemmas of the language's 50 000 most frequent forms.
    percentile: rank as a percentage of the language's ranked lemmas (None with rank).
    level: the CEFR level a learner meets the word at.
    source: "list" (English learner list), "frequency" (lemma rank), "number"; for
        Korean, Japanese and Chinese also "grammar" and "name" (never vocabulary, A1)
        and `scale` the level on the learner's own scale ("JLPT N4", "HSK 3", "TOPIK I,
        level 2"; see `opad.text.cjk.levels`).
    """

    zipf: float
    rank: int | None
    percentile: float | None
    level: Level
    source: str
    scale: str = ""

    @property
    def is_number(self) -> bool:
        """A number word ("thirty", "seiscientos"): not vocabulary to learn."""
        return self.source == "number"


def level_for_rank(rank: int | None) -> Level:
    """The level at which a lemma of frequency rank `rank` is known (None: beyond C1)."""
    if rank is not None:
        for level, size in VOCABULARY_SIZE.items():
            if rank <= size:
                return level
    return Level.C2


def word_level(code: str, word: str, lemma: str) -> WordLevel:
    """Level of `word` (a form as written) with its `lemma`, in language `code` (ISO 639-1)."""
    if code in ("ko", "ja", "zh"):
        return _cjk_word_level(code, word)
    return _word_level(code, _key(word), _key(lemma))


def _key(word: str) -> str:
    # wordfreq casefolds its keys (German "Spaß" is "spass" there), so lookups do too.
    return word.replace("’", "'").casefold()


@lru_cache(maxsize=200_000)
def _word_level(code: str, word: str, lemma: str) -> WordLevel:
    import wordfreq  # heavy: loaded on first use

    try:
        zipf = wordfreq.zipf_frequency(word, code)
    except (ImportError, LookupError):  # e.g. Korean/Japanese need MeCab to tokenize
        zipf = 0.0
    rank = _rank(code, word, lemma)
    percentile = round(100 * rank / ranked_lemmas(code), 2) if rank is not None else None
    if word in number_words(code) or lemma in number_words(code):
        return WordLevel(zipf, rank, percentile, Level.A1, "number")
    if code == "en":
        listed = english_list_level(lemma) or english_list_level(word)
        if listed is not None:
            return WordLevel(zipf, rank, percentile, listed, "list")
    return WordLevel(zipf, rank, percentile, level_for_rank(rank), "frequency")


@lru_cache(maxsize=100_000)
def _cjk_word_level(code: str, word: str) -> WordLevel:
    """A Korean, Japanese or Chinese token's level: grammar words, names and numbers are
    A1 and flagged (never vocabulary); content words by JLPT/HSK list or frequency."""
    from opad.text.cjk import word_facts
    from opad.text.cjk.levels import cjk_word_level, zipf

    facts = word_facts(code, word)
    z = zipf(code, facts.lemma) if facts.lemma else 0.0
    if not facts.is_content:
        return WordLevel(z, None, None, Level.A1, facts.kind)
    level, scale = cjk_word_level(code, facts.lemma, facts.reading)
    # Korean has no word list: its TOPIK label names a frequency band.
    listed = scale.startswith(("JLPT", "HSK"))
    return WordLevel(z, None, None, level, "list" if listed else "frequency", scale)


def frequency_level(code: str, word: str, lemma: str) -> Level:
    """The level by lemma rank alone, ignoring any learner list (the method every language
    without a list uses; the quality report checks it against the English list)."""
    return level_for_rank(_rank(code, _key(word), _key(lemma)))


def _rank(code: str, word: str, lemma: str) -> int | None:
    ranks = lemma_ranks(code)
    found = [r for r in (ranks.get(lemma), ranks.get(word)) if r is not None]
    if not found and "-" in word:
        # A hyphenated word wordfreq does not rank whole ("quarta-feira", "well-known"):
        # as rare as its rarest part, when every part is ranked.
        parts = [ranks.get(p) for p in word.split("-") if p]
        if parts and all(r is not None for r in parts):
            return max(r for r in parts if r is not None)
    return min(found) if found else None


_lock = threading.Lock()
_ranks: dict[tuple[str, int], dict[str, int]] = {}


def lemma_ranks(code: str, forms: int = RANKED_FORMS) -> dict[str, int]:
    """Casefolded lemma → frequency rank (1 = most frequent) in language `code`; each ranked
    word form also maps to its lemma's rank (so a lemmatizer that disagrees still finds it).
    The lemmas come first, in rank order; then the forms.

    Built from wordfreq's `forms` most frequent word forms, each lemmatized by simplemma,
    the forms' frequencies summed per lemma: so a Russian or Polish noun counts all its
    case forms, as an English one counts its plural. Unknown language: empty.
    """
    found = _ranks.get((code, forms))
    if found is not None:
        return found
    # Built once per process under the lock, and looked up again inside it: threads that
    # asked at the same time (a worker's first jobs in a language) wait for the one table
    # instead of each building its own (25 cold job threads peaked at ~800 MB RSS).
    with _lock:
        found = _ranks.get((code, forms))
        if found is None:
            found = _ranks[(code, forms)] = _build_ranks(code, forms)
        return found


def _build_ranks(code: str, forms: int) -> dict[str, int]:
    import simplemma
    import wordfreq

    try:
        table = wordfreq.get_frequency_dict(code, "best")
    except LookupError:
        return {}
    top = [kv for kv in table.items() if any(ch.isalpha() for ch in kv[0])]
    top = sorted(top, key=lambda kv: -kv[1])[:forms]
    totals: dict[str, float] = defaultdict(float)
    lemma_of: dict[str, str] = {}
    for form, freq in top:
        lemma_of[form] = _list_lemma(simplemma, code, form)
        totals[lemma_of[form]] += freq
    order = sorted(totals, key=lambda k: (-totals[k], k))
    ranks = {lemma: i + 1 for i, lemma in enumerate(order)}
    for form, lemma in lemma_of.items():
        ranks.setdefault(form, ranks[lemma])
    return ranks


@cache
def ranked_lemmas(code: str) -> int:
    """How many lemmas `lemma_ranks(code)` ranks (the base of a percentile)."""
    return max(lemma_ranks(code).values(), default=0)


def _list_lemma(simplemma: Any, code: str, form: str) -> str:
    """The casefolded lemma of a (casefolded) word-list form."""
    try:
        if code == "de":
            # wordfreq lowercases, and lowercase German nouns lemmatize as verbs
            # ("wiese" → "weisen"): a form that is a known noun is read as one.
            noun = form[:1].upper() + form[1:]
            if simplemma.is_known(noun, lang=code):
                return _key(str(simplemma.lemmatize(noun, lang=code)))
        return _key(str(simplemma.lemmatize(form, lang=code)))
    except ValueError:  # a language simplemma does not know: forms as lemmas
        return form


@lru_cache(maxsize=1)
def _english_list() -> Any:
    from cefrpy import CEFRAnalyzer  # heavy: a 2.5 MB database

    return CEFRAnalyzer()


def english_list_level(word: str) -> Level | None:
    """The English learner list's level of `word` (lowercase): the lowest over its parts
    of speech (a learner knows "for" from A1, whatever its rarer uses); None when the list
    lacks it."""
    analyzer = _english_list()
    if not analyzer.is_word_in_database(word):
        return None
    levels = analyzer.get_pos_level_dict_for_word(word).values()
    return LEVEL_ORDER[min(5, max(0, min(int(v) for v in levels) - 1))] if levels else None


def english_is_name(word: str) -> bool:
    """Is `word` (lowercase) a name by the English list: unknown to it, or listed only as a
    proper noun ("alvarez", "lindenau")?"""
    analyzer = _english_list()
    if not analyzer.is_word_in_database(word):
        return True
    tags = {str(tag.name) for tag in analyzer.get_pos_level_dict_for_word(word)}
    return tags <= {"NNP", "NNPS"}


# Joining words inside written numbers ("one hundred and five", "treinta y uno",
# "vingt et un") are not number words themselves.
_JOINERS = 3  # a part of a written number this short or shorter is a joiner


@cache
def number_words(code: str) -> frozenset[str]:
    """Casefolded words that write numbers in language `code` (cardinals 0–1000, round
    thousands to a billion, ordinals 1–100), generated by num2words; empty when num2words
    does not know the language."""
    from num2words import num2words

    numbers = [*range(1001), *(k * 1000 for k in range(2, 11)), 10**6, 2 * 10**6, 10**9]
    out: set[str] = set()
    for kind, values in (("cardinal", numbers), ("ordinal", range(1, 101))):
        for n in values:
            try:
                written = str(num2words(n, lang=code, to=kind)).casefold()
            except (NotImplementedError, OverflowError, TypeError, ValueError, KeyError):
                if n == 0 and kind == "cardinal":
                    return frozenset()  # the language is unknown to num2words
                continue
            parts = written.replace(",", " ").split()
            if len(parts) == 1:
                out.add(parts[0])
            for part in parts:
                out.update(p for p in part.split("-") if len(p) > _JOINERS)
                if len(part) > _JOINERS:
                    out.add(part)
    return frozenset(out)
