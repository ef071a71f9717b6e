"""What one clickable Korean, Japanese or Chinese word is: its dictionary form, how that
is read, and whether it is a word to learn.

`word_facts(code, word) -> WordFacts` analyzes the word as `opad.text.cjk.tokenize`
gave it (the analyzers see it alone, which for a token they cut themselves gives the same
head morpheme). The kinds:

- "content": a noun, verb, adjective or adverb — vocabulary a learner may be shown;
- "name": a proper noun (Kiwi NNP, UniDic 固有名詞, ICTCLAS nr/ns/nt/nz);
- "number": a numeral (Kiwi NR, UniDic 数詞, ICTCLAS m/mq);
- "grammar": particles, endings, auxiliaries, pronouns, conjunctions, measure words —
  never vocabulary (을, が, 的).

The reading of the dictionary form: hiragana for Japanese (行く → いく), tone-marked
pinyin for Chinese (图书馆 → tú shū guǎn), Revised Romanization for Korean (가다 → gada,
korean-romanizer).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from opad.text.cjk.morpheme import is_kana_only

_NAME_TAGS = {"ko": ("NNP",), "zh": ("nr", "nrfg", "nrt", "ns", "nt", "nz")}
_NUMBER_TAGS = {"ko": ("NR",), "zh": ("m", "mq")}


@dataclass(frozen=True)
class WordFacts:
    """`lemma` (dictionary form), `reading` of the lemma ("" when none), `kind` (above)."""

    lemma: str
    reading: str
    kind: str

    @property
    def is_content(self) -> bool:
        return self.kind == "content"


def is_name_tag(code: str, pos: str) -> bool:
    """Whether the analyzer's tag `pos` marks a proper noun (a person, place, team…)."""
    if code == "ja":
        return (pos.split(",")[1] if "," in pos else "") == "固有名詞"
    return pos in _NAME_TAGS.get(code, ())


def kind_of(code: str, pos: str, is_content: bool) -> str:
    """The kind (content, name, number, grammar) of a word whose head morpheme has `pos`."""
    if is_content:
        return "content"
    if code == "ja":
        second = pos.split(",")[1] if "," in pos else ""
        return {"固有名詞": "name", "数詞": "number"}.get(second, "grammar")
    if pos in _NAME_TAGS.get(code, ()):
        return "name"
    if pos in _NUMBER_TAGS.get(code, ()):
        return "number"
    return "grammar"


def lemma_reading(code: str, lemma: str) -> str:
    """How the dictionary form `lemma` is read: hiragana (ja), pinyin (zh), romanized (ko)."""
    if not lemma:
        return ""
    if code == "ko":
        from korean_romanizer.romanizer import Romanizer

        return str(Romanizer(lemma).romanize())
    if code == "zh":
        from opad.text.cjk.chinese import pinyin

        return pinyin(lemma) if any("\u3400" <= c <= "\u9fff" for c in lemma) else ""
    if code == "ja":
        if is_kana_only(lemma):
            return ""  # read as written: no furigana over kana (ケーキ, たべる)
        from opad.text.cjk.units import analyze

        morphemes = analyze(code, lemma)
        reading = "".join(m.reading for m in morphemes)
        return "" if reading == lemma else reading
    raise ValueError(f"not a Korean, Japanese or Chinese language code: {code!r}")


@lru_cache(maxsize=100_000)
def word_facts(code: str, word: str) -> WordFacts:
    """Lemma, lemma reading and kind of one clickable word (see the module docstring).

    A string that is no word (punctuation, digits) is ("", "", "grammar").
    """
    from opad.text.cjk.units import token_groups

    groups = token_groups(code, word)
    if not groups:
        return WordFacts("", "", "grammar")
    token, morphemes = groups[0]
    head = next((m for m in morphemes if m.is_content), morphemes[0])
    kind = kind_of(code, head.pos, head.is_content)
    return WordFacts(token.lemma, lemma_reading(code, token.lemma), kind)
