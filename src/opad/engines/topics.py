"""Does a text match a learner's topic? Lemmas of the topic's content words, looked up in
the text's topics, title and body.

A *good match* (what the leveler serves without a warning):

- every content word of the topic is found in the text when the topic has one or two of
  them, at least two thirds of them when it has more ("the impact of drought on farms in
  southern Spain" need not name every word); and
- the topic is what the text is about, not a passing mention: one of its words is in the
  text's title or topic tags, or occurs at least twice in the body.

Content words are the topic's words minus the language's stop words (the `stop-words`
package, 30+ languages) and one- or two-letter words. A word is found when its form or
lemma (simplemma via opad.text) is a word of the text, or, for words of five letters or
more, when a word of the text contains it — German compounds ("Frauenfußball" is about
"Fußball") and derived forms ("Kenyan").
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from opad import text

MIN_PART = 5  # shortest topic word also looked for inside longer words
# Korean, Japanese, Chinese: most words are one to three characters, so a topic word is any
# word the analyzer does not call grammar (particles, endings, pronouns), and a two-character
# word is also looked for inside longer ones (公交 in 公交车, 電車 in 路面電車).
_CJK = ("ko", "ja", "zh")
_CJK_MIN_PART = 2


def fold(word: str) -> str:
    """Case and accents folded, so that a learner's "futbol" or "Fussball" still matches
    "fútbol" and "Fußball"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    # Composed again: Hangul syllables decompose into jamo, which are not accents.
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@lru_cache(maxsize=64)
def stop_words(code: str) -> frozenset[str]:
    """The stop words of a language (empty when the package has none for it)."""
    from stop_words import StopWordError, get_stop_words

    try:
        return frozenset(w.lower() for w in get_stop_words(code))
    except StopWordError:
        return frozenset()


@dataclass(frozen=True)
class TopicTerm:
    """One content word of a topic: the form as written and its lemma, folded."""

    form: str
    lemma: str


def topic_terms(code: str, topic: str) -> tuple[TopicTerm, ...]:
    """The content words of `topic`, once each, in order."""
    stops = stop_words(code)
    seen: dict[str, TopicTerm] = {}
    for token in text.tokenize(code, topic):
        if code in _CJK:
            from opad.text.cjk import word_facts

            if word_facts(code, token.word).kind == "grammar":
                continue
        elif len(token.word) < 3 or token.word.lower() in stops or token.lemma.lower() in stops:
            continue
        form, lemma = fold(token.word), fold(token.lemma)
        seen.setdefault(lemma, TopicTerm(form, lemma))
    return tuple(seen.values())


@dataclass(frozen=True)
class TopicMatch:
    """How well one text matches a topic; `score` ranks texts (higher is closer)."""

    good: bool
    score: float
    found: tuple[str, ...]  # the topic's lemmas found in the text
    missing: tuple[str, ...]


class _Bag:
    """The words of one part of a text, as forms and lemmas, with counts."""

    def __init__(self, code: str, content: str) -> None:
        tokens = text.tokenize(code, content)
        self.counts: Counter[str] = Counter()
        for token in tokens:
            form, lemma = fold(token.word), fold(token.lemma)
            self.counts[form] += 1
            if lemma != form:
                self.counts[lemma] += 1
        self.min_part = _CJK_MIN_PART if code in _CJK else MIN_PART
        self.long_words = [w for w in self.counts if len(w) > self.min_part]

    def count(self, term: TopicTerm) -> int:
        exact = self.counts.get(term.form, 0) + (
            self.counts.get(term.lemma, 0) if term.lemma != term.form else 0
        )
        if exact or len(term.form) < self.min_part:
            return exact
        return sum(self.counts[w] for w in self.long_words if term.form in w or term.lemma in w)


def match_topic(
    code: str,
    terms: tuple[TopicTerm, ...],
    *,
    title: str,
    body: str,
    tags: tuple[str, ...] = (),
) -> TopicMatch:
    """Match a text (title, body, topic tags) against `terms` from `topic_terms`.

    An empty topic (no content words) matches every text, weakly: score 0, good.
    """
    if not terms:
        return TopicMatch(True, 0.0, (), ())
    head = _Bag(code, " ".join((title, *tags)))
    main = _Bag(code, body)
    found: list[str] = []
    missing: list[str] = []
    score = 0.0
    prominent = False
    for term in terms:
        in_head, in_body = head.count(term), main.count(term)
        if in_head or in_body:
            found.append(term.lemma)
        else:
            missing.append(term.lemma)
        prominent = prominent or in_head > 0 or in_body >= 2
        # Title and tags weigh most; body mentions add up, with diminishing returns.
        score += 3.0 * (in_head > 0) + math.log1p(in_body)
    needed = len(terms) if len(terms) <= 2 else math.ceil(2 * len(terms) / 3)
    good = len(found) >= needed and prominent
    return TopicMatch(good, round(score, 3), tuple(found), tuple(missing))
