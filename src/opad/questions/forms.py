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

from opad.text.cjk.morpheme import Morpheme

_CJK = ("ko", "ja", "zh")
MAX_TAIL = 4  # longer differences are irregular forms: compared whole


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
    return capital + inflection(word, lemma) + classes


@lru_cache(maxsize=50_000)
def english_classes(word: str) -> str:
    """The coarse parts of speech cefrpy lists for an English word form ("J", "N,V"; ""
    when it does not know the word)."""
    from opad.text.levels import _english_list

    try:
        tags = _english_list().get_all_pos_for_word(word)
    except (KeyError, ValueError):
        return ""
    coarse = {t.name[0] for t in tags if t.name[0] in "JNRV"}
    return ",".join(sorted(coarse))


def _tag(code: str, pos: str) -> str:
    if code == "ja":
        return pos.split(",")[0]
    return pos


def cjk_form(code: str, group: Sequence[Morpheme]) -> str:
    """The form of a Korean, Japanese or Chinese word from its morphemes' tags."""
    if not group:
        return ""
    head = next((m for m in group if m.is_content), group[0])
    return f"{_tag(code, head.pos)}+{_tag(code, group[-1].pos) if len(group) > 1 else ''}"
