"""Sentences of a paragraph: pysbd's rule-based segmenter, then OPAD's own guarantees.

pysbd (the Golden Rules segmenter, abbreviation lists for 23 languages) does the
splitting; it was chosen over syntok after both were run on abbreviations ("3 Mio.
Euro", "Dr. Schulz", "Mrs. Alvarez"), decimals and quotations: pysbd kept 9 of 11 cases
whole, syntok 8 and simplemma's splitter 4 (see the helper's report). Afterwards:

- a quotation is never cut: segments are joined until every opening mark has its
  closing one (« », „ “, “ ”, ‹ ›, straight quotes);
- a segment that starts in lower case continues the previous one ("a. m. al ...");
- a title before a name ("Sr.", "Dr.", "Mrs.") never ends a sentence;
- text without sentence punctuation (lyrics, a transcript) is cut at line breaks, then at
  commas, then every ~20 words, so a reader still gets pieces of sentence size.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

import regex

from opad.text import cjk
from opad.text.normalize import normalize

# Titles that precede a name in the languages OPAD reads; pysbd misses some ("El Sr.").
_TITLES = frozenset(
    """dr prof mr mrs ms mx st sr sra srta dra lic ing mme mlle m mm hr fr dott sig
sig.ra""".split()  # noqa: SIM905
)
_END_PUNCT = ".!?…。！？।॥؟"
_LONG = 40  # words in a segment beyond which it is cut at commas or a word budget
_BUDGET = 20  # words per piece when nothing else says where to cut
_SOFT_STOPS = (",", ";", ":", "—", "–", "،", "、", "，")
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*")


@lru_cache(maxsize=64)
def _segmenter(code: str) -> Any:
    with warnings.catch_warnings():
        # pysbd 0.3.4's sources have invalid escapes ("\s" in plain strings): Python warns
        # when it compiles them, which is pysbd's to fix and harmless here.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        import pysbd  # heavy: loaded on first use
        from pysbd.languages import LANGUAGE_CODES

    # Languages pysbd has no rules for get its English rules: they split at . ! ? and
    # know the Latin-script abbreviations most texts share.
    return pysbd.Segmenter(language=code if code in LANGUAGE_CODES else "en", clean=False)


def split_sentences(code: str, text: str) -> list[str]:
    """The sentences of one paragraph, normalized and stripped, in order.

    `code` is an ISO 639-1 code. Lines of a paragraph are joined (wrapped prose) unless
    most of them end without sentence punctuation (verse, lyrics, lists): then each line
    is a sentence. No sentence is longer than ~40 words unless it has punctuation to cut
    at; an empty or blank text gives []. Korean, Japanese and Chinese:
    `opad.text.cjk.split_sentences` (quotations kept whole, no spaces added).
    """
    if code in ("ko", "ja", "zh"):
        return cjk.split_sentences(code, text)
    return list(_split(code, text))


# A reading's paragraphs are split several times as it is finished (level check,
# vocabulary, names and abbreviations, questions, the reading index), and pysbd costs
# about a millisecond per sentence: in a worker running 50 crews at once that was a tenth
# of all its CPU. Paragraphs repeat exactly, so the results are kept (immutable); 512
# covers the paragraphs of 50 readings being finished at once, a few MB at most.
@lru_cache(maxsize=512)
def _split(code: str, text: str) -> tuple[str, ...]:
    lines = [" ".join(line.split()) for line in normalize(text).splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ()
    if len(lines) > 1 and sum(not line.endswith(tuple(_END_PUNCT)) for line in lines) * 2 > len(
        lines
    ):
        units = lines
    else:
        units = _merge(code, [s.strip() for s in _segmenter(code).segment(" ".join(lines))])
    out: list[str] = []
    for unit in units:
        out.extend(_cut_long(unit))
    return tuple(s for s in out if s)


def _merge(code: str, parts: list[str]) -> list[str]:
    merged: list[str] = []
    for part in (p for p in parts if p):
        if merged and (
            _open_quote(code, merged[-1]) or _continues(part) or _ends_in_title(merged[-1])
        ):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def _continues(part: str) -> bool:
    """A segment whose first letter is lower case continues the sentence before it."""
    first = _WORD.search(part)
    return first is not None and first.group(0)[0].islower()


def _ends_in_title(segment: str) -> bool:
    words = segment.rstrip().split()
    return bool(words) and words[-1].endswith(".") and words[-1][:-1].lower() in _TITLES


_PAIRS = {"«": "»", "„": "“", "“": "”", "‚": "‘", "‹": "›", "»": "«"}


def _open_quote(code: str, segment: str) -> bool:
    """Whether `segment` leaves a quotation open (an opening mark without its closing one)."""
    stack: list[str] = []
    straight = False
    for ch in segment:
        if ch == '"':
            straight = not straight
        elif stack and ch == _PAIRS[stack[-1]]:
            stack.pop()
        elif ch in _PAIRS and ch != "»" or (ch == "»" and code in {"de", "da"}):
            # "»…«" is the German/Danish style; elsewhere » only closes.
            if ch == "“" and code in {"de", "cs", "sk", "da", "is", "lt", "bg"}:
                continue  # closes „ in these languages, never opens
            stack.append(ch)
    return straight or bool(stack)


def _needs_cut(words: list[str]) -> bool:
    """Whether a segment is a run without sentence punctuation (to cut), not a sentence.

    Several real sentences kept together (a quotation of two sentences) have a sentence
    end inside: never cut. A long sentence that ends properly is an author's sentence up
    to twice the limit; beyond that, or with no end at all, it is an unpunctuated run.
    """
    closers = "\"'”’»)"
    if any(w.rstrip(closers).endswith(tuple(_END_PUNCT)) for w in words[:-1]):
        return False
    ends = words[-1].rstrip(closers).endswith(tuple(_END_PUNCT))
    return len(words) > (2 * _LONG if ends else _LONG)


def _cut_long(sentence: str) -> list[str]:
    """A run without sentence punctuation, cut at commas (or similar) then every ~20
    words, so one unpunctuated paragraph does not become one 300-word "sentence"."""
    words = sentence.split()
    if not words or not _needs_cut(words):
        return [sentence]
    pieces: list[str] = []
    current: list[str] = []
    for index, word in enumerate(words):
        current.append(word)
        at_comma = word.endswith(_SOFT_STOPS) and len(current) >= 6
        # Past the budget, wait for a comma only if one comes within a few words.
        ahead = words[index + 1 : index + 1 + _BUDGET + 8 - len(current)]
        at_budget = len(current) >= _BUDGET and not any(w.endswith(_SOFT_STOPS) for w in ahead)
        if at_comma or at_budget:
            pieces.append(" ".join(current))
            current = []
    if current:
        if pieces and len(current) < 6:
            pieces[-1] = f"{pieces[-1]} {' '.join(current)}"
        else:
            pieces.append(" ".join(current))
    return pieces
