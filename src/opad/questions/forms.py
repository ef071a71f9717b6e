"""The grammatical form of a word in its sentence, for choosing cloze options and
true/false swaps that grammar alone cannot rule out.

- Languages written with spaces: how the word is inflected from its lemma (simplemma's,
  via opad.text) — the letters that differ after their common beginning ("members" ←
  "member": "+s"; "trabajan" ← "trabajar": "+n"; "laute" ← "laut": "+e"), "=" when the
  word is its lemma — and, in German, whether it is capitalised (a noun). Two words with
  the same form are inflected the same way, whatever their class looked like.
- Korean, Japanese, Chinese: the analyzer's tags of the word's first and last morpheme
  (Kiwi's Sejong tags, UniDic's part of speech, jieba's ICTCLAS flags): 음식을 is NNG+JKO,
  食べた is 動詞+助動詞.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from opad.text.cjk.morpheme import Morpheme, grammatical_form

_CJK = ("ko", "ja", "zh")
MAX_TAIL = 4  # longer differences are irregular forms: compared whole
_LEMMA_END = ("de", "fr", "es", "it", "pt", "ca", "ro")


def inflection(word: str, lemma: str) -> str:
    """ "=" when `word` is its lemma, else "+" and what follows their common beginning
    (case folded), or "~" and the whole word ending for irregular forms."""
    w, lem = word.casefold(), lemma.casefold()
    if w == lem:
        return "="
    common = 0
    while common < min(len(w), len(lem)) and w[common] == lem[common]:
        common += 1
    tail = w[common:]
    return f"+{tail}" if len(tail) <= MAX_TAIL else f"~{w[-MAX_TAIL:]}"


def spaced_form(code: str, word: str, lemma: str) -> str:
    """The form of a word of a language written with spaces (see the module docstring)."""
    capital = "N" if code == "de" and word[:1].isupper() else ""
    classes = f":{english_classes(word.lower())}" if code == "en" else ""
    if code in _LEMMA_END:
        # The lemma's last letter: infinitives (-er, -ir, -ar, -re) apart from nouns
        # ("célébrer" is no option for "herbe").
        classes = f":{lemma[-1:].casefold()}"
    return capital + inflection(word, lemma) + classes


@lru_cache(maxsize=50_000)
def english_classes(word: str) -> str:
    """The coarse parts of speech cefrpy lists for an English word form ("J", "N,V", "I"
    for a preposition, "P" for a pronoun; "" when it does not know the word): "whom" is no
    option for "among"."""
    from opad.text.levels import _english_list

    try:
        tags = _english_list().get_all_pos_for_word(word)
    except (KeyError, ValueError):
        return ""
    coarse = {t.name[0] if t.name[0] in "JNRV" else _CLOSED.get(t.name, "") for t in tags}
    return ",".join(sorted(coarse - {""}))


# Closed classes of the Penn tags: prepositions, pronouns, determiners, conjunctions, modals.
_CLOSED = {
    "IN": "I",
    "PRP": "P",
    "PRP$": "P",
    "WP": "P",
    "WP$": "P",
    "DT": "D",
    "WDT": "D",
    "PDT": "D",
    "CC": "C",
    "MD": "M",
}


def cjk_form(code: str, group: Sequence[Morpheme]) -> str:
    """The form of a Korean, Japanese or Chinese word from its morphemes' tags
    (opad.text.cjk.morpheme.grammatical_form; the typed reading's tokens carry it)."""
    return grammatical_form(code, group)


ANY_CONTEXT = "*"  # a word seen without a sentence (opad.questions.lexicon)
# Determiners that do not constrain the next word's gender, number or sound.
_NEUTRAL = frozenset({"", "the", "my", "his", "her", "its", "our", "their", "your"})


# Determiners that constrain only the next word's first sound: "an", French/Italian "l'"
# (either gender) before a vowel or h; "a" before a consonant.
_VOWEL_NEXT = frozenset({"an", "l'"})
_CONSONANT_NEXT = frozenset({"a"})
_VOWELS = "aeiouhàâéèêëîïôöùûüáíóú"


def fits(answer: str, other: str, other_word: str = "") -> bool:
    """Whether `other_word`, of form `other`, may stand in for an answer of form
    `answer`: the same form, or (a word seen without a sentence) the same form before the
    determiner part while the answer's determiner does not constrain it, or constrains
    only the first sound and `other_word` has it."""
    if not answer or answer == other:
        return True
    base, _, context = answer.partition("|")
    other_base, _, other_context = other.partition("|")
    if other_context != ANY_CONTEXT or base != other_base:
        return False
    vowel = other_word[:1].lower() in _VOWELS
    if context in _VOWEL_NEXT:
        return vowel
    if context in _CONSONANT_NEXT:
        return bool(other_word) and not vowel
    return context in _NEUTRAL
